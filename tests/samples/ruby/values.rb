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
