<?php
// A property written by a computed name may be any property: none is fixed in this file (issue 12).
class Repo
{
    protected $table = 'users';

    public function __construct(array $options)
    {
        foreach ($options as $key => $value) {
            $this->$key = $value;
        }
    }

    public function all()
    {
        return $this->db->query("SELECT * FROM " . $this->table);  // expect: EL-PHP-SQL
    }
}
