# The reference document's example sessions, binary bodies, lifetimes and
# the error tree, through `require 'httpc'` against the test servers.
# Prints ok/not ok lines and "N passed, N failed, N skipped".
require 'httpc'
require 'stringio'
require_relative 'lib/check'

host = ENV.fetch('HTTPC_TEST_HOST')
port = ENV.fetch('HTTPC_TEST_NGINX_PORT')
raw = ENV.fetch('HTTPC_TEST_RAW_PORT')
docroot = ENV.fetch('HTTPC_TEST_DOCROOT')
slurp = ->(p) { File.binread(p) }

# GET, 200-byte reads while not closed, 404
c = Httpc::HTTPConnection.new(host, port)
c.request('GET', '/')
r1 = c.getresponse
check('GET / status and reason', "#{r1.status} #{r1.reason}" == '200 OK')
data1 = r1.read
check('GET / whole body', data1 == slurp.call("#{docroot}/index.html"))
c.request('GET', '/')
r1 = c.getresponse
all = ''.b
sizes = []
until r1.closed
  piece = r1.read(200)
  sizes << piece.bytesize
  all << piece
end
check('200-byte reads while not closed give the same body', all == data1)
check("reads of at most 200 bytes (#{sizes.size})", sizes.max == 200 && sizes.size == (data1.bytesize + 199) / 200)
check('body starts <!doctype html>', all.start_with?('<!doctype html>'))
c.request('GET', '/parrot.spam')
r2 = c.getresponse
check('invalid request: 404 Not Found', "#{r2.status} #{r2.reason}" == '404 Not Found')
check('404 body read', !r2.read.empty?)
c.close
c.close
check('close is idempotent', true)

# HEAD
c = Httpc::HTTPConnection.new(host, port)
c.request('HEAD', '/')
res = c.getresponse
check('HEAD status', res.status == 200)
check('HEAD body is empty', res.read == '')
check('HEAD keeps Content-Length', res.getheader('Content-Length').to_i.positive?)

# POST form -> 302 Found
params = '%40number=12524&%40type=issue&%40action=show'
c.request('POST', '/form', params,
          { 'Content-type' => 'application/x-www-form-urlencoded', 'Accept' => 'text/plain' })
r = c.getresponse
check('POST form: 302 Found', "#{r.status} #{r.reason}" == '302 Found')
check('POST form body', r.read == 'Redirecting to <a href="/landing">/landing</a>')
check('Location header', r.getheader('Location') == '/landing')

# PUT, binary-safe both ways
body = "a NUL \0 and \xff\n end".b
c.request('PUT', '/file', body)
r = c.getresponse
check('PUT status', r.status == 200)
check('PUT body length counted by the server', r.read == "stored #{body.bytesize} bytes\n")
blob = ((0..255).to_a + [0, 0, 255]).pack('C*')
c.request('POST', '/echo', blob)
echo = c.getresponse.read
check('request and response bodies keep every byte', echo.end_with?(blob) && echo.encoding == Encoding::BINARY)
c.request('GET', '/1m')
check('1 MiB body with NULs intact', c.getresponse.read == slurp.call("#{docroot}/1m"))
c.request('GET', '/100b')
r = c.getresponse
buf = "\0".b * 100
check('readinto count', r.readinto(buf) == 100)
check('readinto bytes', buf == "#{'x' * 99}\n")
c.request('POST', '/echo', 'h€llo')
check('a UTF-8 string goes as its bytes', c.getresponse.read.end_with?('h€llo'.b))
c.request('POST', '/echo', StringIO.new("streamed\0body".b))
echo = c.getresponse.read
check('an IO body is sent chunked', echo.include?("Transfer-Encoding: chunked\r\n") && echo.end_with?("streamed\0body"))

# IncompleteRead by class and by parent
c = Httpc::HTTPConnection.new(host, raw)
c.request('GET', '/truncated-cl')
r = c.getresponse
e = raised { r.read }
check('IncompleteRead raised', e.is_a?(Httpc::IncompleteRead))
check('partial', e.partial == '0123456789')
check('expected', e.expected == 90)
check('message', e.message =~ /10 bytes read, 90 more expected/)
check('an HTTPException and an Httpc::Error, not an OSError',
      e.is_a?(Httpc::HTTPException) && e.is_a?(Httpc::Error) && !e.is_a?(Httpc::OSError))
how = nil
begin
  c.request('GET', '/truncated-cl')
  c.getresponse.read
rescue Httpc::OSError
  how = :os
rescue Httpc::HTTPException => e
  how = :parent
end
check('rescued by the parent class HTTPException', how == :parent)
begin
  c.request('GET', '/truncated-cl')
  c.getresponse.read
rescue Httpc::IncompleteRead => e
  how = :class
end
check('rescued by its class', how == :class && e.partial == '0123456789')

# RemoteDisconnected: BadStatusLine and ConnectionResetError
c.request('GET', '/close-no-response')
begin
  c.getresponse
  how = :none
rescue Httpc::ConnectionResetError => e
  how = :reset
end
check('RemoteDisconnected rescued as ConnectionResetError (second parent)', how == :reset && e.is_a?(Httpc::RemoteDisconnected))
check('and is a BadStatusLine, an HTTPException and an OSError',
      e.is_a?(Httpc::BadStatusLine) && e.is_a?(Httpc::HTTPException) && e.is_a?(Httpc::OSError))
c.request('GET', '/ok')
check('the connection object is reusable (auto-reconnect)', c.getresponse.read == 'hello')

# the tree is the library's
ok = (Httpc_core::E_HTTPEXCEPTION..Httpc_core::E_LAST).all? do |code|
  klass = Httpc.const_get(Httpc_core.code_name(code))
  parent = Httpc_core.code_parent(code, 0)
  klass::CODE == code && (parent.zero? || klass.superclass == Httpc.const_get(Httpc_core.code_name(parent)))
end
check('every class follows httpc_code_parent', ok)
check('OSError subclasses SystemCallError, ValueError ArgumentError',
      Httpc::OSError < SystemCallError && Httpc::ValueError < ArgumentError)
e = raised { Httpc::HTTPConnection.new('h:abc') }
check('bad port: InvalidURL from the constructor', e.is_a?(Httpc::InvalidURL))
e = raised { Httpc::HTTPConnection.new(host, port).request("GE T", '/') }
check('an invalid method: ValueError (an ArgumentError)', e.is_a?(Httpc::ValueError) && e.is_a?(ArgumentError))

# lifetimes: GC frees in any order; closed handles answer
r = (proc do
  x = Httpc::HTTPConnection.new(host, port)
  x.request('GET', '/100b')
  x.getresponse
end).call
GC.start
check('response readable after its connection object was collected', r.read == "#{'x' * 99}\n")
check('reading past the end gives ""', r.read == '')
r.close
r.close
check('read after close gives ""', r.read == '' && r.closed)
c = Httpc::HTTPConnection.new(host, port)
c.close
c.request('GET', '/100b')
check('request after close reconnects', c.getresponse.read.bytesize == 100)
2000.times do
  x = Httpc::HTTPConnection.new(host, port)
  x.request('GET', '/100b')
  x.getresponse
end
GC.start
check('2000 connection/response pairs collected by the GC', true)
raw_conn = Httpc_core.conn_new(host, Integer(port), nil)
raw_conn.free
e = raised { raw_conn.port }
check('a method on a freed raw handle raises, never crashes', e.is_a?(ObjectPreviouslyDeleted))
e = raised { raw_conn.free }
check('a second free raises too', e.is_a?(ObjectPreviouslyDeleted))

finish
