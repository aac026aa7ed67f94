// Go sample: risky calls (marked) and look-alikes that must not be reported.
package sample

import (
	"context"
	"crypto/des"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"fmt"
	"html/template"
	"io/ioutil"
	"math/rand"
	"net/http"
	"os"
	run "os/exec"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/crypto/ssh"
)

const usersTable = "users"

func commands(ctx context.Context, r *http.Request, host string, args []string) {
	run.Command("sh", "-c", "ping -c 1 "+host) // expect: EL-GO-EXEC-COMMAND
	run.CommandContext(ctx, "bash", "-c", r.FormValue("cmd")) // expect: EL-GO-EXEC-COMMAND
	run.Command("sh", "-c", "make clean") // expect: EL-GO-EXEC-COMMAND
	run.Command(args[0], args[1:]...) // expect: EL-GO-EXEC-COMMAND
	run.Command("cmd.exe", "/c", host) // expect: EL-GO-EXEC-COMMAND
	cmd := run.Command("ls", "-l", host)
	cmd.Run()
	run.Command("git", "log", "--", host).Output()
	syscall.Exec("/bin/sh", []string{"sh", "-c", host}, os.Environ()) // expect: EL-GO-SYSCALL-EXEC
	os.StartProcess(host, []string{host}, nil) // expect: EL-GO-SYSCALL-EXEC
	syscall.Exec("/usr/bin/git", []string{"git", "status"}, os.Environ())
	Command(host)
}

func queries(ctx context.Context, db *sql.DB, name string, id int, order string) {
	db.Query("SELECT * FROM users WHERE name = '" + name + "'") // expect: EL-GO-SQL
	db.QueryContext(ctx, fmt.Sprintf("SELECT * FROM t WHERE name = '%s'", name)) // expect: EL-GO-SQL
	db.QueryRow("SELECT * FROM t WHERE name = '" + name + "'") // expect: EL-GO-SQL
	db.Exec(fmt.Sprintf("DELETE FROM t WHERE name = '%s'", name)) // expect: EL-GO-SQL
	q := "SELECT * FROM t WHERE a = 1"
	q += " ORDER BY " + order
	db.Query(q) // expect: EL-GO-SQL
	conn.Query(ctx, "SELECT * FROM t WHERE name = '"+name+"'") // expect: EL-GO-SQL
	gormDB.Where("name = '" + name + "'").First(&user) // expect: EL-GO-SQL
	gormDB.Raw(fmt.Sprintf("SELECT * FROM t WHERE name = '%s'", name)).Scan(&user) // expect: EL-GO-SQL
	db.Query("SELECT * FROM t WHERE id = ?", id)
	db.Query("SELECT * FROM " + usersTable + " WHERE id = " + strconv.Itoa(id))
	db.Query(fmt.Sprintf("SELECT * FROM t LIMIT %d", id))
	db.Prepare("SELECT * FROM t WHERE name = $1")
	gormDB.Where("name = ?", name).First(&user)
	strings.NewReader("SELECT " + name)
	syscall.Exec("/bin/"+name, nil, nil) // expect: EL-GO-SYSCALL-EXEC
}

func crypto(data []byte, key []byte, n int) {
	md5.Sum(data) // expect: EL-GO-WEAK-HASH
	h := sha1.New() // expect: EL-GO-WEAK-HASH
	cacheName := fmt.Sprintf("%x", md5.Sum(data))
	h.Write(data)
	sha256.Sum256(data)
	des.NewCipher(key) // expect: EL-GO-WEAK-CIPHER
	des.NewTripleDESCipher(key) // expect: EL-GO-WEAK-CIPHER
	rc4.NewCipher(key) // expect: EL-GO-WEAK-CIPHER
	token := rand.Intn(n) // expect: EL-GO-MATH-RAND
	_ = token
}

func web(w http.ResponseWriter, r *http.Request, comment string) {
	out := template.HTML(comment) // expect: EL-GO-TEMPLATE-UNESCAPED
	js := template.JS("var x = " + comment) // expect: EL-GO-TEMPLATE-UNESCAPED
	br := template.HTML("<br>")
	_, _, _ = out, js, br
}

func files(path string, data []byte) {
	os.Chmod(path, 0777) // expect: EL-GO-WORLD-WRITABLE
	os.WriteFile(path, data, 0666) // expect: EL-GO-WORLD-WRITABLE
	ioutil.WriteFile(path, data, os.FileMode(0o646)) // expect: EL-GO-WORLD-WRITABLE
	os.MkdirAll(path, os.ModePerm) // expect: EL-GO-WORLD-WRITABLE
	os.Chmod(path, 0600)
	os.WriteFile(path, data, 0644)
	os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0600)
	ioutil.TempFile("", "upload-*")
}

func transport(pool *x509.CertPool) *http.Client {
	cfg := &tls.Config{InsecureSkipVerify: true} // expect: EL-GO-TLS-SKIP-VERIFY
	cfg.InsecureSkipVerify = true // expect: EL-GO-TLS-SKIP-VERIFY-SET
	safe := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	safe.InsecureSkipVerify = false
	tr := &http.Transport{TLSClientConfig: &tls.Config{ // expect: EL-GO-TLS-SKIP-VERIFY
		InsecureSkipVerify: true, // the finding is where the literal starts, on the line above
	}}
	_ = tr
	_ = &ssh.ClientConfig{HostKeyCallback: ssh.InsecureIgnoreHostKey()} // expect: EL-GO-SSH-INSECURE-HOST-KEY
	return &http.Client{}
}

// Look-alikes: a local function named Command, names in comments and raw strings.
// run.Command("sh", "-c", cmd) in a comment is not a call
var doc = `db.Query("SELECT " + name) inside a raw string is not a call`

func Command(name string) string {
	return name
}

func shadowed(md5 hasher, data []byte) {
	md5.Sum(data)
}

func tamper(aead cipher.AEAD, data []byte) {
	alterNonceIdx := rand.Intn(aead.NonceSize()) // a position in the nonce, not a secret
	nonceValue := rand.Intn(len(data)) // expect: EL-GO-MATH-RAND
	_, _ = alterNonceIdx, nonceValue
}
