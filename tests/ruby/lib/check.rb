# The hub's test helpers for Ruby: ok/not ok lines and the closing summary
# ("N passed, N failed, N skipped"), which tests/hub_suite.sh counts.
$passed = 0
$failed = 0

def check(name, cond)
  if cond
    $passed += 1
    puts "ok - #{name}"
  else
    $failed += 1
    puts "not ok - #{name}"
  end
rescue StandardError => e
  $failed += 1
  puts "not ok - #{name} (#{e.class}: #{e.message})"
end

# The exception a block raises, or nil.
def raised
  yield
  nil
rescue Exception => e # rubocop:disable Lint/RescueException
  e
end

def finish
  puts "#{$passed} passed, #{$failed} failed, 0 skipped"
  exit($failed.zero? ? 0 : 1)
end
