<!DOCTYPE html>
<p>HTML outside PHP is text: system($cmd); eval($code); include $_GET['page'];</p>
<p>Hello, <?= $_GET['name'] ?></p><!-- expect: EL-PHP-ECHO-REQUEST -->
<p><?= htmlspecialchars($_GET['name'], ENT_QUOTES) ?></p>
<?php
/* PHP sample: risky calls (marked) and look-alikes that must not be reported. */
namespace App\Controller;

use Illuminate\Support\Facades\DB;
use function Vendor\Shell\run as shell_run;

function system($command) { return $command; }  // a namespaced function named like a built-in

class Handler
{
    public function exec($command) { return $command; }  // a method declaration is not a call

    public function handle($pdo, $mysqli, $wpdb, $logger, $obj, $query, $users)
    {
        \system('convert ' . $_GET['file'] . ' out.png');  // expect: EL-PHP-EXEC
        exec("ls -l " . $dir, $output);  // expect: EL-PHP-EXEC
        Shell_Exec($cmd);  // expect: EL-PHP-EXEC
        passthru('uptime');  // expect: EL-PHP-EXEC
        $h = popen('tail -f ' . escapeshellarg($log) . ' 2>&1', 'r');  // expect: EL-PHP-EXEC
        exec(sprintf('kill -%d %d', $signal, $pid));  // expect: EL-PHP-EXEC
        exec(sprintf('kill %s', $pid));  // expect: EL-PHP-EXEC
        exec(escapeshellcmd($line));  // expect: EL-PHP-EXEC
        $p = proc_open("sort $file", $spec, $pipes);  // expect: EL-PHP-EXEC
        $p = proc_open(['sort', $file], $spec, $pipes);
        system($cmd);  // the namespace's own system(), declared above
        shell_run($cmd);  // a namespaced function imported with use function
        $obj->system($cmd);
        $logger->exec('rotate');
        $out = `ls -la $dir`;  // expect: EL-PHP-BACKTICK
        $up = `uptime`;  // expect: EL-PHP-BACKTICK
        pcntl_exec($program, [$arg]);  // expect: EL-PHP-PCNTL-EXEC
        pcntl_exec('/usr/bin/git', ['status']);
        mail($to, $subject, $body, $headers, '-f' . $from);  // expect: EL-PHP-MAIL-PARAMS
        mail($to, $subject, $body);
        eval('$value = ' . $_POST['expr'] . ';');  // expect: EL-PHP-EVAL
        eval('return 1;');  // expect: EL-PHP-EVAL
        assert("strlen('$name') < 10");  // expect: EL-PHP-ASSERT-STRING
        assert($count > 0);
        $f = create_function('$a', 'return $a ' . $op . ' 2;');  // expect: EL-PHP-CREATE-FUNCTION
        $html = preg_replace('/\{(\w+)\}/e', '$vars["$1"]', $template);  // expect: EL-PHP-PREG-EVAL
        $html = preg_replace('#<b>(.*?)</b>#i', '<strong>$1</strong>', $template);
        $cb = call_user_func($_GET['callback'], $arg);
        $prefs = unserialize($_COOKIE['prefs']);  // expect: EL-PHP-UNSERIALIZE
        $cached = unserialize($blob);  // expect: EL-PHP-UNSERIALIZE
        $safe = unserialize($blob, ['allowed_classes' => false]);
        include $_GET['page'] . '.php';  // expect: EL-PHP-INCLUDE
        require_once("pages/$page.php");  // expect: EL-PHP-INCLUDE
        include $template;  // expect: EL-PHP-INCLUDE
        include __DIR__ . '/partials/header.php';
        require_once dirname(__FILE__) . '/config.php';
        require 'vendor/autoload.php';
        include_once $_SERVER['DOCUMENT_ROOT'] . '/lib/db.php';
        $rows = mysql_query("SELECT * FROM users WHERE id = " . $_GET['id']);  // expect: EL-PHP-SQL
        $rows = mysqli_query($mysqli, "SELECT * FROM users WHERE name = '$name'");  // expect: EL-PHP-SQL
        $rows = mysqli_query($mysqli, 'SELECT COUNT(*) FROM users');
        $rows = $mysqli->query("DELETE FROM sessions WHERE user = '{$user}'");  // expect: EL-PHP-SQL
        $rows = $pdo->query('SELECT * FROM users WHERE name = ' . $pdo->quote($name));
        $rows = $pdo->query('SELECT * FROM users WHERE id = ' . (int) $_GET['id']);
        $rows = mysqli_query($mysqli, 'SELECT * FROM t WHERE id = ' . mysqli_real_escape_string($mysqli, $id));  // expect: EL-PHP-SQL
        $stmt = $pdo->prepare('SELECT * FROM users WHERE id = ?');
        $stmt = $this->db->prepare(sprintf('SELECT * FROM %s WHERE id = ?', $table));  // expect: EL-PHP-SQL
        $n = $pdo->exec("UPDATE users SET active = 0 WHERE id = $id");  // expect: EL-PHP-SQL
        $row = $wpdb->get_row("SELECT * FROM {$wpdb->prefix}users WHERE login = '$login'");  // expect: EL-PHP-SQL
        $posts = $wpdb->get_results("SELECT * FROM {$wpdb->posts} WHERE post_status = 'publish'");
        $row = $wpdb->get_row($wpdb->prepare("SELECT * FROM {$wpdb->users} WHERE ID = %d", $id));
        $rows = $query->exec("Reindexing $name");
        // The connection's own helpers, called with constants: SQL of the database layer.
        $this->db->query("DELETE FROM " . $this->db->table_name('cache', true) . " WHERE expires < " . $this->db->now());
        $this->db->query("DELETE FROM " . $this->db->table_name($table, true));  // the layer quotes its table names
        $this->db->query("DELETE FROM " . $other->table_name('cache', true));  // a table named by a constant
        $this->db->query("DELETE FROM " . $other->table_name($_GET['t'], true));  // expect: EL-PHP-SQL
        $this->db->query("DELETE FROM " . $other->prefixed('cache'));  // expect: EL-PHP-SQL
        $this->db->query("SELECT * FROM " . $this->db->table_name('users') . " WHERE name = '$name'");  // expect: EL-PHP-SQL
        $this->db->query("SELECT data FROM t WHERE user_id " . ($uid ? "= " . $this->db->quote($uid) : "IS NULL"));
        $this->db->query("SELECT data FROM t WHERE user_id " . ($uid ? "= " . $uid : "IS NULL"));  // expect: EL-PHP-SQL
        $this->db->query("UPDATE t SET " . $this->db->quote_identifier($col) . " = " . $this->db->quote($value));
        $users = DB::select("SELECT * FROM users WHERE email = '$email'");  // expect: EL-PHP-LARAVEL-RAW-SQL
        $users = DB::select('SELECT * FROM users WHERE email = ?', [$email]);
        $recent = $users->whereRaw("created_at > '" . $since . "'")->get();  // expect: EL-PHP-LARAVEL-RAW-SQL
        $stored = md5($password);  // expect: EL-PHP-WEAK-HASH
        $etag = SHA1($body);  // an ETag only names a version of the content
        $check = SHA1($body);  // expect: EL-PHP-WEAK-HASH
        $thumb_name = 'thumb' . md5($file_ident . ':' . $user_id);
        $session_id = pack('H*', md5($modulus . $cookie));  // expect: EL-PHP-WEAK-HASH
        $cache_token = md5($key);  // expect: EL-PHP-WEAK-HASH
        $row = $db->query("SELECT id FROM users WHERE name = '" . $db->quote($name) . "' AND hash = '" . md5($password) . "'");  // expect: EL-PHP-WEAK-HASH, EL-PHP-SQL
        $file_id = md5($password . $salt);  // expect: EL-PHP-WEAK-HASH
        $sig = hash('sha1', $payload);  // expect: EL-PHP-WEAK-HASH-ALGO
        $sig = hash('sha256', $payload);
        $token = mt_rand();  // expect: EL-PHP-RANDOM
        $id = uniqid();
        $csrf = uniqid();  // expect: EL-PHP-RANDOM
        $token = bin2hex(random_bytes(16));
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);  // expect: EL-PHP-CURL-NO-VERIFY
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);
        $doc = simplexml_load_string($xml, 'SimpleXMLElement', LIBXML_NOENT);  // expect: EL-PHP-XXE
        $dom->loadXML($xml, LIBXML_NOENT | LIBXML_DTDLOAD);  // expect: EL-PHP-XXE
        $dom->loadXML($xml);
        echo 'Results for ' . $_GET['q'];  // expect: EL-PHP-ECHO-REQUEST
        echo "<a href=\"{$_SERVER['PHP_SELF']}\">again</a>";  // expect: EL-PHP-ECHO-REQUEST
        print $_POST['comment'] ?? '';  // expect: EL-PHP-ECHO-REQUEST
        echo htmlspecialchars($_GET['q'], ENT_QUOTES, 'UTF-8');
        echo $_SERVER['SERVER_NAME'], $title;
        echo (int) $_GET['page'];
        extract($_POST);  // expect: EL-PHP-EXTRACT
        extract($row);
        // system($cmd); eval($code); in a comment are not calls
        # include $_GET['page']; in a shell-style comment
        $msg = 'system(' . $cmd . ') and eval($x) inside strings are not calls';
        $doc = <<<EOT
        exec($cmd) and md5($x) in a heredoc are text
        EOT;
        return $f;
    }
}
?>
<footer>exec(<?php echo $year; ?>)</footer>
