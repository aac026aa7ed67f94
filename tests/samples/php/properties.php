<?php
// Properties the file fixes to a constant (issue 12): a protected or private default that nothing
// in the file assigns again is as constant as a literal.
class Contacts
{
    protected $db_name = 'contacts';
    private $groups = "contactgroups";
    protected $sort;
    protected $filter = 'a = 1';
    public $exposed = 'users';

    public function __construct($db, $sort)
    {
        $this->db = $db;
        $this->sort = $sort;
    }

    public function count($id)
    {
        $this->db->query("SELECT COUNT(*) FROM " . $this->db->table_name($this->db_name, true) . " WHERE id = ?", $id);
        $this->db->query("SELECT * FROM {$this->groups} WHERE id = ?", $id);
        $this->db->query("SELECT * FROM $this->groups WHERE id = ?", $id);
        $this->db->query("SELECT * FROM t ORDER BY " . $this->sort);  // expect: EL-PHP-SQL
        $this->db->query("SELECT * FROM {$this->exposed}");  // expect: EL-PHP-SQL
        $this->db->query("SELECT * FROM t WHERE " . $this->filter);  // expect: EL-PHP-SQL
        $this->db->query("SELECT * FROM " . $this->db->table_name($this->sort, true));  // the layer quotes it
        $this->db->query("SELECT * FROM " . $this->other->table_name($this->sort, true));  // expect: EL-PHP-SQL
    }

    public function narrow($extra)
    {
        $this->filter .= $extra;
    }
}

class Rows
{
    private $current = 'none';

    public function each($rows)
    {
        foreach ($rows as $this->current) {
            $this->db->query("SELECT * FROM t WHERE k = " . $this->current);  // expect: EL-PHP-SQL
        }
    }
}
