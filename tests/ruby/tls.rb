# HTTPS through Httpc::SSL contexts against the TLS test servers, the
# headers object and the status constants, through `require 'httpc'`.
require 'httpc'
require_relative 'lib/check'

tls = ENV.fetch('HTTPC_TEST_TLS_PORT')
ca = ENV.fetch('HTTPC_TEST_CA')
raw = ENV.fetch('HTTPC_TEST_RAW_PORT')
host = ENV.fetch('HTTPC_TEST_HOST')
docroot = ENV.fetch('HTTPC_TEST_DOCROOT')
unknownca = ENV.fetch('HTTPC_TEST_TLS_UNKNOWNCA_PORT')
wronghost = ENV.fetch('HTTPC_TEST_TLS_WRONGHOST_PORT')
clientcert = ENV.fetch('HTTPC_TEST_TLS_CLIENTCERT_PORT')
cert = ENV.fetch('HTTPC_TEST_CLIENT_CERT')
key = ENV.fetch('HTTPC_TEST_CLIENT_KEY')
whoami = "CN=httpc test client,O=httpc tests\n"

get = lambda do |port, path = '/', **opts|
  c = Httpc::HTTPSConnection.new('localhost', port, **opts)
  c.request('GET', path)
  r = c.getresponse
  [r.status, r.read]
end

# verified HTTPS with our CA
ctx = Httpc::SSL.create_default_context(cafile: ca)
st, body = get.call(tls, context: ctx)
check('HTTPS GET with cafile: 200', st == 200)
check('HTTPS body is the document', body == File.binread("#{docroot}/index.html"))
check('default context: check_hostname on, CERT_REQUIRED',
      ctx.check_hostname && ctx.verify_mode == Httpc::SSL::CERT_REQUIRED)
check('cadata (PEM text) is trusted as well',
      get.call(tls, context: Httpc::SSL.create_default_context(cadata: File.read(ca)))[0] == 200)
c = Httpc::HTTPSConnection.new('localhost', tls, context: ctx)
c.request('GET', '/100b')
c.getresponse.read
c.request('GET', '/100b')
check('two requests on one TLS connection', c.getresponse.read == "#{'x' * 99}\n")
check('default port 443', Httpc::HTTPSConnection.new('localhost').port == Httpc::HTTPS_PORT)

# failures, rescued by class
e = raised { get.call(unknownca, context: ctx) }
check('unknown CA: SSLCertVerificationError', e.is_a?(Httpc::SSLCertVerificationError))
check('an SSLError, an OSError, a SystemCallError', e.is_a?(Httpc::SSL::SSLError) && e.is_a?(Httpc::OSError) &&
      e.is_a?(SystemCallError))
check('message names the failure', e.message =~ /certificate verify failed/)
how = begin
  get.call(wronghost, context: ctx)
  :none
rescue Httpc::SSL::SSLCertVerificationError => e
  :verify
end
check('wrong host rescued as SSLCertVerificationError', how == :verify && e.message =~ /hostname|match/i)
check('system CAs do not trust the test CA', raised { get.call(tls) }.is_a?(Httpc::SSLCertVerificationError))

# turning the checks off
u = Httpc::SSL.create_unverified_context
check('unverified: CERT_NONE, no hostname check', !u.check_hostname && u.verify_mode == Httpc::SSL::CERT_NONE)
check('unverified context: unknown CA accepted', get.call(unknownca, context: u)[0] == 200)
check('unverified context: wrong host accepted', get.call(wronghost, context: u)[0] == 200)
ctx = Httpc::SSL.create_default_context(cafile: ca)
check('check_hostname: false on the constructor', get.call(wronghost, context: ctx, check_hostname: false)[0] == 200)
check('and it changed the context, as http.client does', ctx.check_hostname == false)
check('without the hostname check the chain is still verified',
      raised { get.call(unknownca, context: ctx) }.is_a?(Httpc::SSLCertVerificationError))
e = raised { Httpc::SSL.create_default_context(cafile: ca).verify_mode = Httpc::SSL::CERT_NONE }
check('CERT_NONE while check_hostname is on: ValueError', e.is_a?(Httpc::ValueError))
ctx = Httpc::SSL.create_default_context(cafile: ca)
ctx.minimum_version = Httpc::SSL::TLSv1_3
check('minimum_version reads back', ctx.minimum_version == Httpc::SSL::TLSv1_3)
check('TLS 1.3 minimum against a 1.2/1.3 server', get.call(tls, context: ctx)[0] == 200)
check('load_verify_locations with nothing: ValueError', raised { ctx.load_verify_locations }.is_a?(Httpc::ValueError))
check('a missing cafile: OSError', raised { ctx.load_verify_locations('/nonexistent/ca.pem') }.is_a?(Httpc::OSError))
v = Httpc::SSL.create_unverified_context
v.verify_mode = Httpc::SSL::CERT_REQUIRED
v.load_verify_locations(ca)
check('CERT_REQUIRED without check_hostname: chain only', get.call(wronghost, context: v)[0] == 200)
check('and an unknown CA still fails', raised { get.call(unknownca, context: v) }.is_a?(Httpc::SSLCertVerificationError))

# client certificates
ctx = Httpc::SSL.create_default_context(cafile: ca)
check('no client certificate: nginx answers 400', get.call(clientcert, '/whoami', context: ctx)[0] == 400)
ctx.load_cert_chain(cert, key)
check('load_cert_chain: the server sees the client', get.call(clientcert, '/whoami', context: ctx) == [200, whoami])
check('legacy cert_file/key_file options',
      get.call(clientcert, '/whoami', context: Httpc::SSL.create_default_context(cafile: ca),
                                      cert_file: cert, key_file: key) == [200, whoami])
ctx = Httpc::SSL.create_default_context(cafile: ca)
ctx.load_cert_chain(cert, ENV.fetch('HTTPC_TEST_CLIENT_KEY_ENC'), -> { ENV.fetch('HTTPC_TEST_CLIENT_KEY_PASS') })
check('encrypted key, password from a lambda', get.call(clientcert, '/whoami', context: ctx)[1] == whoami)
check('a wrong password: SSLError',
      raised { ctx.load_cert_chain(cert, ENV.fetch('HTTPC_TEST_CLIENT_KEY_ENC'), 'wrong') }.is_a?(Httpc::SSLError))

# the headers object
c = Httpc::HTTPConnection.new(host, raw)
c.request('GET', '/repeated')
r = c.getresponse
m = r.msg
check('msg is an HTTPMessage, headers the same', m.is_a?(Httpc::HTTPMessage) && r.headers.equal?(m))
check('get is case-insensitive, first value', m.get('set-COOKIE') == 'a=1' && m['SET-cookie'] == 'a=1')
check('get_all in order', m.get_all('x-multi') == %w[one two])
check('get_all of an absent header: []', m.get_all('nope') == [])
check('get with a default', m.get('nope', 'dflt') == 'dflt' && m.get('nope').nil?)
check('keys in arrival order', m.keys == %w[Set-Cookie X-Multi Set-Cookie X-Multi Content-Length])
check('keys, values and items match getheaders',
      m.keys == r.getheaders.map(&:first) && m.values == r.getheaders.map(&:last) && m.items == r.getheaders)
check('len and each', m.len == 5 && m.size == 5 && m.map { |n, _| n } == m.keys)
check('to_s is a header block', m.to_s.start_with?("Set-Cookie: a=1\nX-Multi: one\n") && m.to_s.end_with?("\n\n"))

# constants, from the one status list
check('HTTP_PORT and HTTPS_PORT', Httpc::HTTP_PORT == 80 && Httpc::HTTPS_PORT == 443)
check('Httpc::OK, Httpc::NOT_FOUND', Httpc::OK == 200 && Httpc::NOT_FOUND == 404 && Httpc::HTTPStatus::OK == 200)
check("responses[418] is I'm a Teapot", Httpc.responses[Httpc::IM_A_TEAPOT] == "I'm a Teapot")
py = `python3 -c 'import http; [print(s.value, s.name, s.phrase, sep="\\t") for s in http.HTTPStatus]' 2>/dev/null`
ours = Httpc::RESPONSES.sort.map { |code, phrase| "#{code}\t#{Httpc::HTTPStatus.constants.find { |n| Httpc::HTTPStatus.const_get(n) == code }}\t#{phrase}\n" }.join
check("the same codes, names and phrases as Python's http.HTTPStatus", !py.empty? && ours == py)

finish
