<?php
// Variables and properties judged by what the file assigns them (issue 12): a table name from the
// database layer's helper, a filter built by the connection's own quoting helpers, a timestamp; and
// look-alikes that a parameter, a reference, a foreach or a by-reference built-in can change.
class Cache
{
    private $table;
    private $index_table;
    protected $exposed;
    public $open;

    public function __construct($db, $userid)
    {
        $this->db = $db;
        $this->table = $db->table_name($userid ? 'cache' : 'cache_shared', true);
        $this->index_table = $db->table_name('cache_index', true);
        $this->exposed = $userid;
        $this->open = 'cache';
    }

    public function expunge($search, $where)
    {
        $now = $this->db->now();
        $system_table = $this->db->table_name('system', true);
        $this->db->query("UPDATE " . $system_table . " SET `value` = ? WHERE `name` = ?", 1, 'x');
        $this->db->query("DELETE FROM {$this->table} WHERE `expires` < $now");
        $this->db->query("DELETE FROM $this->index_table WHERE `expires` < " . $now);
        $filter = '';
        if ($search) {
            $filter = $this->db->ilike('name', '%');
            $filter = " AND $filter";
        }
        $this->db->query("SELECT * FROM {$this->table} WHERE `del` <> 1" . $filter);
        $this->db->query("DELETE FROM {$this->table} WHERE " . $where);  // expect: EL-PHP-SQL
        $this->db->query("DELETE FROM {$this->exposed}");  // expect: EL-PHP-SQL
        $this->db->query("DELETE FROM {$this->open}");  // expect: EL-PHP-SQL
    }

    public function lookalikes($rows, $name)
    {
        $sql = "SELECT * FROM t WHERE a = 1";
        $sql .= " AND b = '$name'";
        $this->db->query($sql . " LIMIT 1");  // expect: EL-PHP-SQL
        $column = 'id';
        foreach ($rows as $column) {
        }
        $this->db->query("SELECT $column FROM t");  // expect: EL-PHP-SQL
        $m = [];
        preg_match('/(\w+)/', $name, $m);
        $picked = 'a';
        $alias = &$picked;
        $alias = $name;
        $this->db->query("SELECT * FROM t WHERE c = " . $picked);  // expect: EL-PHP-SQL
        $part = 'x';
        $part[0] = $name;
        $this->db->query("SELECT * FROM t WHERE c = " . $part);  // expect: EL-PHP-SQL
        $ids = $this->db->array2list($rows, 'integer');
        $this->db->query("DELETE FROM t WHERE id IN ($ids)");  // the layer's own integer list
        $this->db->query("DELETE FROM t WHERE id IN (" . $this->db->array2list($_GET['ids']) . ")");  // expect: EL-PHP-SQL
        $late = 'a = 1';
        $set = function () use (&$late) { $late = $_GET['x']; };
        $this->db->query("SELECT * FROM t WHERE $late");  // expect: EL-PHP-SQL
        $where = 'a = 1';
        $this->db->query("SELECT * FROM t WHERE $where");
        $query = "SELECT * FROM t WHERE id = " . $_GET['id'];
        $rows = mysqli_query($link, $query);  // expect: EL-PHP-SQL
        $fixed = "SELECT * FROM t WHERE id = " . (int) $_GET['id'];
        $rows = mysqli_query($link, $fixed);
        $rows = $this->db->query($sql);  // expect: EL-PHP-SQL
    }
}

class Identities
{
    public function update($data, $iid)
    {
        $query_cols = $query_params = [];
        foreach ((array) $data as $col => $value) {
            $query_cols[] = $this->db->quote_identifier($col) . ' = ?';
            $query_params[] = $value;
        }
        $sql = "UPDATE " . $this->db->table_name('identities', true) . " SET " . implode(', ', $query_cols)
            . " WHERE `identity_id` = ?";
        $this->db->query($sql, $query_params);
        $raw = [];
        foreach ((array) $data as $col => $value) {
            $raw[] = "$col = '$value'";
        }
        $this->db->query("UPDATE t SET " . implode(', ', $raw));  // expect: EL-PHP-SQL
        $names = array('a', 'b');
        $names[0][1] = $iid;
        $this->db->query("SELECT " . implode(', ', $names) . " FROM t");  // expect: EL-PHP-SQL
    }
}

function insert_row($db, $values)
{
    $sql = "INSERT INTO t VALUES (" . implode(', ', array_pad([], count($values), '?')) . ")";
    $db->query($sql, $values);
    $first = "INSERT INTO t VALUES (" . implode(', ', array_pad([], count($values), $values[0])) . ")";
    $db->query($first);  // expect: EL-PHP-SQL
}

function prompt_silent($prompt)
{
    if ($prompt === 'win') {
        $command = "cscript //nologo " . escapeshellarg($prompt);
        return shell_exec($command);  // expect: EL-PHP-EXEC (a note: quoted with escapeshellarg)
    }
    $command = "/usr/bin/env bash -c 'echo OK'";
    $ok = shell_exec($command);  // expect: EL-PHP-EXEC (a note: the constant assigned just above)
    $command = "bash -c 'read -p \"" . addslashes($prompt) . "\" x'";
    $ok = shell_exec($command);  // expect: EL-PHP-EXEC
    $sql = "SELECT 1";
    foreach ([1, 2] as $i) {
        mysqli_query($link, $sql);  // expect: EL-PHP-SQL
        $sql = "SELECT * FROM t WHERE a = " . $prompt;
    }
    return $ok;
}

function configured($db)
{
    $table = 'users';
    include 'settings.php';
    $db->query("SELECT * FROM $table");  // expect: EL-PHP-SQL
}

spl_autoload_register(
    function ($class) {
        static $classes = null;
        if ($classes === null) {
            $classes = array(
                'app\\process' => '/Process.php',
                'app\\pipes' => '/Pipes.php'
            );
        }
        $cn = strtolower($class);
        if (isset($classes[$cn])) {
            require __DIR__ . $classes[$cn];
        }
        $paths = ['/a.php'];
        $paths[] = $class;
        require __DIR__ . $paths[0];  // expect: EL-PHP-INCLUDE
    }
);

// Look-alikes a review found: a value read where it was assigned, writes through references, a
// property set from a constructor's parameter, and the connection's methods that do not quote.
function reviewed($db, $rows)
{
    $name = $_GET['name'];
    $name = trim($name);
    $db->query("SELECT * FROM users WHERE name = '$name'");  // expect: EL-PHP-SQL
    $where = "id = $rows";
    $rows = 0;
    $db->query("SELECT * FROM t WHERE $where");  // expect: EL-PHP-SQL
    $q = '';
    read_input($q);
    $db->query("SELECT * FROM t WHERE a = '$q'");  // expect: EL-PHP-SQL
    $who = $db->fetchOne("SELECT name FROM users WHERE id = 1");
    $db->query("UPDATE audit SET who = '$who'");  // expect: EL-PHP-SQL
    $db->query("SELECT * FROM t WHERE n LIKE '%" . $db->escapeLike($name) . "%'");  // expect: EL-PHP-SQL
}

class Scoped
{
    protected $source = 'users';
    private $hydrated;

    public function __construct($table)
    {
        $this->source = $table;
    }

    public function all($db)
    {
        $table = 'stats';
        $db->query("SELECT * FROM {$this->source}");  // expect: EL-PHP-SQL
        $db->query("SELECT * FROM t WHERE a = '{$this->hydrated}'");  // expect: EL-PHP-SQL
    }
}

function output_of($db)
{
    $out = [];
    exec('ls', $out);  // expect: EL-PHP-EXEC (a note: a constant command)
    $db->query("SELECT * FROM t WHERE f = '" . $out[0] . "'");  // expect: EL-PHP-SQL
}
