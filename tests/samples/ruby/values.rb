# Local variables the file shows (issue 12): a method's own constants, and what makes them data.
class Recorder
  def save(record, cond, params)
    method = cond ? :insert : :update
    record.send(method)
    attr = params[:attr]
    record.send(attr) # expect: EL-RB-SEND
    cmd = "ls -l"
    system(cmd) # expect: EL-RB-EXEC
    cmd = "ls #{params[:dir]}"
    system(cmd) # expect: EL-RB-EXEC
    name = :a
    name ||= params[:n]
    record.send(name) # expect: EL-RB-SEND
    params[:items].each do |item|
      record.send(item) # expect: EL-RB-SEND
    end
    later = -> { cmd = params[:c] }
    cmd = "pwd"
    later.call
    system(cmd) # expect: EL-RB-EXEC
  end
end

# Forwarding a call Ruby dispatched, a name from the program's own table, and sockets' send (issue 12).
class Proxy
  HANDLERS = { 1 => :on_open, 2 => :on_close }.freeze

  def method_missing(name, *args, &block)
    @target.__send__(name, *args, &block)
  end

  def respond_to_missing?(name, include_private = false)
    @target.respond_to?(name, include_private)
  end

  def dispatch(packet, params)
    send(HANDLERS[packet.type], packet)
    send(HANDLERS.fetch(packet.type), packet)
    send(HANDLERS.fetch(packet.type, params[:fallback]), packet) # expect: EL-RB-SEND
    send(ENV["HANDLER"], packet) # the operator's environment, not the request
    send(params[:handler], packet) # expect: EL-RB-SEND
  end

  def write(socket, data, params)
    socket.send(data, 0)
    @sock.send data, 0
    send(data, 0)
    record.send(params[:setter], 0) # expect: EL-RB-SEND
  end

  def other(name, params)
    @target.public_send(name) # a caller's name: metaprogramming, not reported
    @target.public_send(params[:name]) # expect: EL-RB-SEND
    @target.public_send(cookies[:view]) # expect: EL-RB-SEND
    @target.public_send(request.headers["X-Action"]) # expect: EL-RB-SEND
  end
end

# Elements of collections: a block over constants gives constants, unless the list grows (issue 12).
class Delegator
  VERBS = %w[get post put].freeze

  def self.delegate(target, params)
    %i[get post].each do |verb|
      target.send(verb)
    end
    VERBS.each { |verb| target.public_send(verb) }
    [:a, :b].each_with_index { |name, i| target.send(name, i) }
    ENV.each { |key, value| target.send(key) } # the operator's environment, not the request
    params[:verbs].each { |verb| target.send(verb) } # expect: EL-RB-SEND
    list = [:a]
    list << params[:extra]
    list.each { |verb| target.send(verb) } # expect: EL-RB-SEND
    [:a, params[:b]].each { |verb| target.send(verb) } # expect: EL-RB-SEND
    VERBS.each do |verb|
      verb = params[:override]
      target.send(verb) # expect: EL-RB-SEND
    end
  end
end

# Review cases: tables the program fills, classes that walk anything, request data through
# instance variables, multiple assignment, each_pair and reassigned block parameters.
class Review
  STORE = {}
  FILES = Dir["uploads/*"]

  def save(params)
    STORE[:code] = params[:code]
  end

  def run(params)
    eval(STORE[:code]) # expect: EL-RB-EVAL
    Find.find("/tmp/up") { |path| system(path) } # expect: EL-RB-EXEC
    FILES.each { |f| system(f) } # expect: EL-RB-EXEC
    ::ENV.each { |k| system(k) } # expect: EL-RB-EXEC
    @field = params[:f]
    record.send(@field) # expect: EL-RB-SEND
    name, value = params[:f], params[:v]
    record.send(name, value) # expect: EL-RB-SEND
    params.each_pair { |key, val| record.send(key, val) } # expect: EL-RB-SEND
    params[:c].each { |c| c = c.strip; record.send(c) } # expect: EL-RB-SEND
    send("#{params[:attr]}=", 0) # expect: EL-RB-SEND
    sockets_count.send(params[:m]) # expect: EL-RB-SEND
    client_socket.send(params[:payload], 0)
    User.where("name LIKE '%#{Regexp.escape(params[:q])}%'") # expect: EL-RB-SQL
  end
end
