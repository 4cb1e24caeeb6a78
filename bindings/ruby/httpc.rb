# httpc.rb -- http.client for Ruby over the SWIG extension httpc_core.
#
#   c = Httpc::HTTPConnection.new(host, port)
#   c.request('GET', '/')
#   r = c.getresponse
#   print r.status, r.read
#
# Exceptions are Httpc::<Name> classes made at load time from the C
# library's tree (httpc_code_name / httpc_code_parent).  Ruby classes have
# one superclass, so a class descends from its first parent, and `rescue`
# / is_a? also honour the others through httpc_code_is (RemoteDisconnected
# is rescued as Httpc::ConnectionResetError too).  Every one includes
# Httpc::Error; OSError's branch subclasses SystemCallError, ValueError
# ArgumentError, RuntimeError ::RuntimeError, the rest StandardError.
require 'httpc_core'

module Httpc
  VERSION = Httpc_core.version
  HTTP_PORT = 80
  HTTPS_PORT = 443

  # Status codes: every http.HTTPStatus name as a constant (Httpc::OK,
  # Httpc::NOT_FOUND, also under Httpc::HTTPStatus), Httpc::RESPONSES /
  # Httpc.responses (code -> reason phrase).  The list is httpc_status.tsv
  # beside this file, which the build extracts from the Lua module's table,
  # so there is one copy of it.
  module HTTPStatus; end
  RESPONSES = {}
  File.foreach(File.join(__dir__, 'httpc_status.tsv'), chomp: true) do |line|
    code, name, phrase = line.split("\t", 3)
    HTTPStatus.const_set(name, Integer(code))
    const_set(name, Integer(code))
    RESPONSES[Integer(code)] = phrase.freeze
  end
  raise LoadError, 'httpc: httpc_status.tsv lists no status codes' if RESPONSES.empty?
  RESPONSES.freeze

  def self.responses = RESPONSES

  # Included by every httpc exception class.
  module Error
    attr_reader :code, :partial, :expected, :errno, :line, :what, :reason

    def httpc_init(info)
      @code = info[:code]
      @partial = info[:partial]
      @expected = info[:expected]
      @errno = info[:errno]
      @line = info[:line]
      @what = info[:what]
      @reason = info[:reason]
      @httpc_message = info[:message]
      self
    end

    def message
      @httpc_message || super
    end

    def to_s
      message
    end

    # The class name of the contract ("IncompleteRead").
    def name
      self.class.name.split('::').last
    end

    # True for a class of the tree that is an ancestor through any parent.
    def is_a?(klass)
      super || (klass.is_a?(Class) && klass.const_defined?(:CODE, false) && !@code.nil? &&
                Httpc_core.code_is(@code, klass::CODE) == 1)
    end
    alias kind_of? is_a?
  end

  # rescue uses Class#===; make it follow the C tree's every parent.
  module ErrorClass
    def ===(other)
      other.is_a?(Httpc::Error) ? other.is_a?(self) : super
    end
  end

  ROOT_BASES = {
    'OSError' => SystemCallError,
    'ValueError' => ArgumentError,
    'RuntimeError' => ::RuntimeError
  }.freeze

  ERROR_CLASSES = {}
  (Httpc_core::E_HTTPEXCEPTION..Httpc_core::E_LAST).each do |code|
    name = Httpc_core.code_name(code)
    chain = []
    c = code
    while c != 0
      chain.unshift(c)
      c = Httpc_core.code_parent(c, 0)
    end
    chain.each do |k|
      next if ERROR_CLASSES.key?(k)
      kname = Httpc_core.code_name(k)
      parent = Httpc_core.code_parent(k, 0)
      base = parent.zero? ? ROOT_BASES.fetch(kname, StandardError) : ERROR_CLASSES.fetch(parent)
      klass = Class.new(base)
      # SystemCallError#initialize in a subclass takes its errno from the
      # class's Errno constant (else it finds the module ::Errno and fails);
      # ours come from the C error and are read through Error#errno.
      klass.const_set(:Errno, nil) if base == SystemCallError
      klass.include(Error)
      klass.extend(ErrorClass)
      klass.const_set(:CODE, k)
      const_set(kname, klass)
      ERROR_CLASSES[k] = klass
    end
    raise "httpc: #{name} missing from the tree" unless ERROR_CLASSES[code]
  end

  # The Ruby exception for an errinfo the binding returned.
  def self.exception_for(info)
    code = info.code
    expected = info.expected
    fields = {
      code: code, message: info.message, partial: info.partial.b,
      expected: expected.negative? ? nil : expected, errno: info.errno,
      line: info.line.b, what: info.what, reason: info.reason
    }
    klass = ERROR_CLASSES.fetch(code, HTTPException)
    klass.new(fields[:message]).httpc_init(fields)
  end

  def self.destroyed!
    raise NotConnected.new('operation on a freed httpc object')
                      .httpc_init(code: NotConnected::CODE, message: 'operation on a freed httpc object',
                                  partial: ''.b, line: ''.b)
  end

  def self.header_pairs(headers)
    return [] if headers.nil?
    headers.flat_map do |name, value|
      value.is_a?(Array) ? value.map { |v| [name.to_s, v.to_s] } : [[name.to_s, value.to_s]]
    end
  end

  # The raw handle of a connection or response, and its error check.
  module Handle
    private

    def h = @h || Httpc.destroyed!

    def check(rc)
      raise Httpc.exception_for(@h.error) unless rc.zero?
      nil
    end
  end

  class HTTPConnection
    attr_reader :timeout

    # HTTPConnection.new(host, port = nil, timeout: nil, source_address: nil, blocksize: nil)
    def initialize(host, port = nil, timeout: nil, source_address: nil, blocksize: nil)
      open_handle(host, port, nil, timeout, source_address, blocksize)
    end

    def host = h.host
    def port = h.port
    def fileno = h.fileno
    def connect = check(h.connect)
    def set_debuglevel(level) = h.set_debuglevel(level)

    # Idempotent; the next request reconnects.
    def close
      @h&.close
      nil
    end

    def set_tunnel(host, port = nil, headers = nil)
      check(h.set_tunnel(host, port.nil? ? -1 : port))
      Httpc.header_pairs(headers).each { |n, v| check(h.add_tunnel_header(n, v)) }
      nil
    end

    # request(method, url, body = nil, headers = {}, encode_chunked: false)
    # body: a String, or an IO (sent chunked unless a length header is given).
    def request(method, url, body = nil, headers = nil, encode_chunked: false)
      hh = h
      Httpc.header_pairs(headers).each { |n, v| check(hh.request_header(n, v)) }
      chunked = encode_chunked ? Httpc_core::ENCODE_CHUNKED : 0
      if body.respond_to?(:read)
        check(hh.request(method, url, nil, Httpc_core::BODY_STREAM | chunked))
        bs = hh.get_blocksize
        while (piece = body.read(bs))
          check(hh.body_write(piece))
        end
        check(hh.body_end)
      else
        kind = body.nil? ? Httpc_core::BODY_NONE : Httpc_core::BODY_BYTES
        check(hh.request(method, url, body&.to_s, kind | chunked))
      end
      nil
    end

    def putrequest(method, url, skip_host: false, skip_accept_encoding: false)
      check(h.putrequest(method, url, skip_host ? 1 : 0, skip_accept_encoding ? 1 : 0))
    end

    def putheader(name, first, *more)
      check(h.putheader(name.to_s, first.to_s))
      more.each { |v| check(h.putheader_continue(v.to_s)) }
      nil
    end

    def endheaders(body = nil, encode_chunked: false)
      check(h.endheaders(body, encode_chunked ? Httpc_core::ENCODE_CHUNKED : 0))
    end

    def send(data) = check(h.send(data))

    def getresponse
      rc, r = h.getresponse
      check(rc)
      HTTPResponse.new(r)
    end

    private

    include Handle

    # tls: a raw context handle, or nil for plain HTTP.
    def open_handle(host, port, tls, timeout, source_address, blocksize)
      @h = Httpc_core.conn_new(host.to_s, port.nil? ? -1 : Integer(port), tls)
      raise NoMemoryError, 'httpc: out of memory' if @h.nil?
      err = @h.error
      raise Httpc.exception_for(err) unless err.code.zero?
      @timeout = timeout
      @h.set_timeout(timeout.to_f) unless timeout.nil?
      check(@h.set_source_address(source_address[0].to_s, Integer(source_address[1]))) if source_address
      @h.set_blocksize(blocksize) if blocksize
    end
  end

  # HTTPSConnection.new(host, port = nil, context: nil, check_hostname: nil,
  #   cert_file: nil, key_file: nil, timeout: nil, ...).  Without a context,
  # Httpc::SSL.create_default_context; check_hostname, cert_file and key_file
  # change the context, as http.client's do.
  class HTTPSConnection < HTTPConnection
    attr_reader :context, :key_file, :cert_file

    def initialize(host, port = nil, key_file: nil, cert_file: nil, timeout: nil, source_address: nil,
                   context: nil, check_hostname: nil, blocksize: nil)
      context ||= SSL.create_default_context
      raise TypeError, 'httpc: context must be an Httpc::SSL::SSLContext' unless context.is_a?(SSL::SSLContext)
      context.check_hostname = check_hostname unless check_hostname.nil?
      context.load_cert_chain(cert_file, key_file) if cert_file || key_file
      @context = context
      @key_file = key_file
      @cert_file = cert_file
      open_handle(host, port, context.handle, timeout, source_address, blocksize)
    end
  end

  # TLS contexts with the subset of Python's ssl module http.client uses.
  module SSL
    CERT_NONE = Httpc_core::CERT_NONE
    CERT_OPTIONAL = Httpc_core::CERT_OPTIONAL
    CERT_REQUIRED = Httpc_core::CERT_REQUIRED
    TLSv1 = Httpc_core::TLS1_0
    TLSv1_1 = Httpc_core::TLS1_1
    TLSv1_2 = Httpc_core::TLS1_2
    TLSv1_3 = Httpc_core::TLS1_3
    SSLError = Httpc::SSLError
    SSLCertVerificationError = Httpc::SSLCertVerificationError

    # Verification and hostname checks on; the system CAs, or only the
    # given anchors when any is passed (as Python's).
    def self.create_default_context(cafile: nil, capath: nil, cadata: nil)
      own = !(cafile.nil? && capath.nil? && cadata.nil?)
      ctx = SSLContext.new(own ? Httpc_core::TLS_VERIFY : Httpc_core::TLS_DEFAULT)
      ctx.load_verify_locations(cafile, capath, cadata) if own
      ctx
    end

    # No certificate or hostname verification.
    def self.create_unverified_context = SSLContext.new(Httpc_core::TLS_UNVERIFIED)

    class SSLContext
      # kind: Httpc_core::TLS_DEFAULT, TLS_VERIFY or TLS_UNVERIFIED.
      def initialize(kind = Httpc_core::TLS_DEFAULT)
        @h = Httpc_core.tls_ctx_new(kind)
        raise NoMemoryError, 'httpc: could not create an OpenSSL context' if @h.nil?
      end

      # The raw handle, for HTTPSConnection.
      def handle = @h

      # A PEM file, a hashed directory, PEM text; at least one.
      def load_verify_locations(cafile = nil, capath = nil, cadata = nil)
        if cafile.nil? && capath.nil? && cadata.nil?
          raise ValueError.new('cafile, capath and cadata cannot be all omitted')
                          .httpc_init(code: ValueError::CODE, message: 'cafile, capath and cadata cannot be all omitted',
                                      partial: ''.b, line: ''.b)
        end
        check(@h.load_verify_locations(cafile&.to_s, capath&.to_s)) unless cafile.nil? && capath.nil?
        check(@h.load_verify_data(cadata.to_s)) unless cadata.nil?
        nil
      end

      # password may be a Proc returning it, as Python's callable.
      def load_cert_chain(certfile, keyfile = nil, password = nil)
        password = password.call if password.respond_to?(:call)
        check(@h.load_cert_chain(certfile.to_s, keyfile&.to_s, password&.to_s))
        nil
      end

      def check_hostname = @h.get_check_hostname != 0
      def check_hostname=(on)
        check(@h.set_check_hostname(on ? 1 : 0))
      end

      def verify_mode = @h.get_verify_mode
      def verify_mode=(mode)
        check(@h.set_verify_mode(Integer(mode)))
      end

      def minimum_version = @h.get_minimum_version
      def minimum_version=(version)
        check(@h.set_minimum_version(Integer(version)))
      end

      private

      def check(rc)
        raise Httpc.exception_for(@h.error) unless rc.zero?
        nil
      end
    end
  end

  # http.client's header view: case-insensitive lookups over the (name,
  # value) pairs in arrival order; values are what the C parser kept.
  class HTTPMessage
    include Enumerable

    def initialize(pairs)
      @list = pairs.map { |n, v| [n.freeze, v.freeze].freeze }.freeze
    end

    # The first value, or default.
    def get(name, default = nil)
      key = name.to_s.downcase
      pair = @list.find { |n, _| n.downcase == key }
      pair ? pair[1] : default
    end
    alias [] get

    # Every value, in order ([] when absent).
    def get_all(name)
      key = name.to_s.downcase
      @list.filter_map { |n, v| v if n.downcase == key }
    end

    def keys = @list.map(&:first)
    def values = @list.map(&:last)
    def items = @list.map(&:dup)
    def len = @list.size
    alias size len
    alias length len

    # Yields name, value in arrival order.
    def each(&block)
      return enum_for(:each) unless block
      @list.each { |n, v| block.call(n, v) }
      self
    end

    def to_s = @list.map { |n, v| "#{n}: #{v}\n" }.join + "\n"
  end

  # Made by HTTPConnection#getresponse.  It keeps its connection alive in
  # C, so the connection object may be collected first.
  class HTTPResponse
    def initialize(handle)
      @h = handle
    end

    def status = h.status
    def reason = h.reason
    def version = h.version
    def will_close = h.will_close != 0
    def chunked = h.chunked != 0
    def fileno = h.fileno

    def length
      n = h.length
      n.negative? ? nil : n
    end

    # true once the body was read to its end, or after close.
    def closed = h.closed != 0
    alias closed? closed
    alias isclosed closed

    def close
      @h&.close
      nil
    end

    # read(amt = nil): the whole rest without amt; "" at the end.  Binary.
    def read(amt = nil) = data(h.read(amt.nil? ? -1 : amt))
    def read1(n = nil) = data(h.read1(n.nil? ? -1 : n))
    def readline(limit = nil) = data(h.readline(limit.nil? ? -1 : limit))
    def peek(n = nil) = data(h.peek(n.nil? ? -1 : n))

    # readinto(buf): fills buf's existing bytes; returns how many arrived.
    def readinto(buf)
      rc, n = h.readinto(buf)
      check(rc)
      n
    end

    def getheader(name, default = nil)
      found, value = h.getheader(name.to_s)
      found.zero? ? default : value
    end

    # The headers as an HTTPMessage (made once).
    def msg = (@msg ||= HTTPMessage.new(getheaders))
    alias headers msg

    # [[name, value], ...] in arrival order.
    def getheaders
      hh = h
      (0...hh.header_count).filter_map do |i|
        rc, n, v = hh.header_at(i)
        [n, v] if rc.zero?
      end
    end

    private

    include Handle

    def data(res)
      rc, d = res
      check(rc)
      d
    end
  end
end
