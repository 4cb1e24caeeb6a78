"""10,000 httpc connections (every 10th with a request and a response)
created and dropped in random order under Python's GC (reference cycles
included), with early free()s and calls on freed handles.  Run by
run_bindings_stress.sh under valgrind."""
import gc
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'build'), 'python'))
import httpc  # noqa: E402

port = int(os.environ['HTTPC_TEST_NGINX_PORT'])
n = int(os.environ.get('HTTPC_STRESS_N', '10000'))
rnd = random.Random(int(os.environ.get('HTTPC_STRESS_SEED', '4')))
pool, body_bytes, bad = [], 0, 0
for i in range(n):
    c = httpc.HTTPConnection('127.0.0.1', port)
    item = {'c': c}
    if i % 10 == 0:
        try:
            c.request('GET', '/100b')
            item['r'] = c.getresponse()
        except Exception as e:  # counted, reported below
            print('request failed:', repr(e))
            bad += 1
    if rnd.random() < 0.2:
        item['self'] = item  # a cycle only the cyclic GC frees
    pool.append(item)
    if len(pool) > 64 or i == n - 1:
        for _ in range(len(pool) // 2):
            it = pool.pop(rnd.randrange(len(pool)))
            how = rnd.randrange(4)
            if how == 0 and 'r' in it:
                it['c']._c.free()
                body_bytes += len(it['r'].read())
            elif how == 1:
                it['c']._c.free()
                it['c']._c.free()
                try:
                    it['c'].connect()
                except ValueError:
                    pass
            elif how == 2 and 'r' in it:
                del it['r']
            del it
        if rnd.randrange(3) == 0:
            gc.collect()
del pool
gc.collect()
ok = bad == 0
print('%s - python: %d connections dropped in random order (%d body bytes read, %d failed)'
      % ('ok' if ok else 'not ok', n, body_bytes, bad))
print('%d passed, %d failed, 0 skipped' % ((1, 0) if ok else (0, 1)))
sys.exit(0 if ok else 1)
