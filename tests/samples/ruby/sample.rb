# Ruby sample: risky calls (marked) and look-alikes that must not be reported.
require "open3"
require "open-uri"
require "digest"
require "yaml"

class ReportsController < ApplicationController
  def show
    system("tar xf #{params[:file]}")  # expect: EL-RB-EXEC
    system "convert #{src} out.png"  # expect: EL-RB-EXEC
    system("make clean")  # expect: EL-RB-EXEC
    system("tar", "xf", params[:file])
    system({ "LANG" => "C" }, cmd)  # expect: EL-RB-EXEC
    system(%w[ls -l])
    Kernel.exec(cmd)  # expect: EL-RB-EXEC
    pid = spawn("sleep #{seconds}", out: "/dev/null")  # expect: EL-RB-EXEC
    out, status = Open3.capture2("git log #{branch}")  # expect: EL-RB-EXEC
    out, status = Open3.capture2("git", "log", branch)
    Open3.popen3(cmd) do |stdin, stdout, stderr, thread|  # expect: EL-RB-EXEC
      stdout.read
    end
    IO.popen("grep #{pattern} log.txt", "r") { |io| io.read }  # expect: EL-RB-EXEC
    IO.popen(["grep", pattern, "log.txt"], "r") { |io| io.read }
    PTY.spawn(shell_line)  # expect: EL-RB-EXEC
    runner.system(cmd)
    obj.exec("rm -rf #{dir}")
    log = `git log #{branch}`  # expect: EL-RB-BACKTICK
    now = %x{date}  # expect: EL-RB-BACKTICK
    data = open(params[:path]).read  # expect: EL-RB-OPEN
    page = URI.open(url)  # expect: EL-RB-OPEN
    File.open(params[:path])
    File.read("/tmp/#{name}")
    open("/var/log/#{name}.log") { |f| f.read }
    result = eval(params[:expr])  # expect: EL-RB-EVAL
    value = binding.eval("@#{ivar}")  # expect: EL-RB-EVAL
    user.instance_eval("self.#{params[:field]}")  # expect: EL-RB-EVAL-STRING
    user.instance_eval { name }
    user.instance_eval(&block)
    user.instance_exec(params[:field]) { |f| send(:name) }
    record.send(params[:attribute])  # expect: EL-RB-SEND
    record.public_send(:name)
    render inline: "<h1>#{params[:title]}</h1>"  # expect: EL-RB-RENDER-INLINE
    render :show, locals: { title: params[:title] }
    session = Marshal.load(Base64.decode64(cookies[:s]))  # expect: EL-RB-MARSHAL
    config = YAML.load(request.body.read)  # expect: EL-RB-YAML-LOAD
    config = YAML.safe_load(request.body.read)
    doc = Psych.unsafe_load(upload.read)  # expect: EL-RB-YAML-UNSAFE-LOAD
    data = Oj.load(body)  # expect: EL-RB-OJ-LOAD
    data = Oj.load(body, mode: :strict)
    users = User.where("name = '#{params[:name]}'")  # expect: EL-RB-SQL
    users = User.where("name = ?", params[:name])
    users = User.where(name: params[:name])
    users = User.where(active: true).order("#{params[:sort]} DESC")  # expect: EL-RB-SQL
    Post.find_by_sql("SELECT * FROM posts WHERE title LIKE '%" + term + "%'")  # expect: EL-RB-SQL
    Post.exists?("id = #{id}")  # expect: EL-RB-SQL
    ActiveRecord::Base.connection.execute("DELETE FROM posts WHERE id = #{id}")  # expect: EL-RB-SQL-EXECUTE
    ActiveRecord::Base.connection.execute("VACUUM")
    ActiveRecord::Base.connection.execute("SELECT currval(#{quote(sequence_name)})")
    ActiveRecord::Base.connection.execute("DELETE FROM #{quote_table_name(t)} WHERE id = #{id.to_i}")
    ActiveRecord::Base.connection.execute("DELETE FROM #{quote_table_name(t)} WHERE id = #{id}")  # expect: EL-RB-SQL-EXECUTE
    ActiveRecord::Base.connection.execute("SELECT #{unquote(name)}")  # expect: EL-RB-SQL-EXECUTE
    ActiveRecord::Base.connection.execute("DROP#{' TEMPORARY' if options[:temporary]} TABLE #{quote_table_name(t)}#{options[:force] ? ' CASCADE' : ''}")
    ActiveRecord::Base.connection.execute("DROP TABLE #{quote_table_name(t)}#{' ' + options[:extra] if options[:extra]}")  # expect: EL-RB-SQL-EXECUTE
    ActiveRecord::Base.connection.execute("DROP TABLE #{options[:force] ? name : ''}")  # expect: EL-RB-SQL-EXECUTE
    job.execute("run #{task}")
    digest = Digest::MD5.hexdigest(password)  # expect: EL-RB-WEAK-HASH
    sha = ::Digest::SHA1.new  # expect: EL-RB-WEAK-HASH
    d = OpenSSL::Digest.new("sha1")  # expect: EL-RB-WEAK-HASH-NAME
    d = OpenSSL::Digest.new("SHA256")
    token = rand(36**16).to_s(36)  # expect: EL-RB-RANDOM
    token = SecureRandom.urlsafe_base64(16)
    html = "<b>#{user.name}</b>".html_safe  # expect: EL-RB-HTML-SAFE
    html = "<br>".html_safe
    body = raw(@post.body)  # expect: EL-RB-HTML-SAFE
    # system("rm -rf #{dir}") in a comment is not a call
    note = "eval(x) and system(cmd) inside a string are not calls"
    help = <<~TEXT
      Run system("ls #{dir}") or `whoami` yourself.
    TEXT
    [note, help]
  end

  class_eval <<-RUBY, __FILE__, __LINE__ + 1  # expect: EL-RB-EVAL-STRING
    def #{name}_label; "#{name}"; end
  RUBY
end

class Sandbox
  def system(command)  # a method named like a risky API is not a call
    command
  end

  def rebuild
    system("ls #{dir}")  # calls Sandbox#system, defined above
  end
end
