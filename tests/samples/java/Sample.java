// Java sample: risky calls (marked) and look-alikes that must not be reported.
package sample;

import static java.lang.Runtime.getRuntime;
import static org.apache.commons.codec.digest.DigestUtils.md5Hex;

import java.beans.XMLDecoder;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import javax.crypto.Cipher;
import javax.persistence.EntityManager;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.jdbc.core.JdbcTemplate;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

public class Sample {
    private static final String USERS = "users";
    private static final String WEAK = "DES/CBC/PKCS5Padding";
    private final Runtime runtime = Runtime.getRuntime();
    private JdbcTemplate jdbcTemplate;
    private EntityManager em;
    private ScriptEngine engine;
    private ExecutorService executor;

    void commands(HttpServletRequest request, String cmd, String host) throws Exception {
        Runtime.getRuntime().exec("ping -c 1 " + host); // expect: EL-JAVA-RUNTIME-EXEC
        Runtime.getRuntime().exec(cmd); // expect: EL-JAVA-RUNTIME-EXEC
        Runtime.getRuntime().exec("uptime"); // expect: EL-JAVA-RUNTIME-EXEC
        getRuntime().exec(request.getParameter("c")); // expect: EL-JAVA-RUNTIME-EXEC
        Runtime rt = Runtime.getRuntime();
        rt.exec(new String[] {"sh", "-c", cmd}); // expect: EL-JAVA-RUNTIME-EXEC
        this.runtime.exec(cmd); // expect: EL-JAVA-RUNTIME-EXEC
        var chained = Runtime.getRuntime();
        chained.exec(cmd); // expect: EL-JAVA-RUNTIME-EXEC
        rt.exec(new String[] {"git", "log", "--", host});
        new ProcessBuilder("sh", "-c", "nslookup " + host).start(); // expect: EL-JAVA-PROCESS-BUILDER-SHELL
        new ProcessBuilder(Arrays.asList("cmd.exe", "/c", cmd)); // expect: EL-JAVA-PROCESS-BUILDER-SHELL
        new ProcessBuilder("bash", "-c", "make clean"); // expect: EL-JAVA-PROCESS-BUILDER-SHELL
        new ProcessBuilder(cmd, "--version"); // expect: EL-JAVA-PROCESS-BUILDER-SHELL
        new ProcessBuilder("nslookup", host).start();
        new ProcessBuilder(List.of("ls", "-l", host));
        ProcessBuilder pb = new ProcessBuilder();
        pb.command("bash", "-c", cmd); // expect: EL-JAVA-PROCESS-COMMAND-SHELL
        pb.command("ls", "-l", host);
        executor.execute(() -> System.out.println(host));
    }

    void code(String expression, String sort) throws Exception {
        engine.eval(expression); // expect: EL-JAVA-SCRIPT-ENGINE-EVAL
        new ScriptEngineManager().getEngineByName("nashorn").eval("var x = " + expression); // expect: EL-JAVA-SCRIPT-ENGINE-EVAL
        ExpressionParser parser = new SpelExpressionParser();
        parser.parseExpression(sort); // expect: EL-JAVA-EXPRESSION-INJECTION
        parser.parseExpression("name");
        Calculator calc = new Calculator();
        calc.eval(expression);
        Class.forName(expression); // expect: EL-JAVA-CLASS-FORNAME
        Class.forName("org.postgresql.Driver");
    }

    Object deserialize(InputStream stream, String text) throws Exception {
        ObjectInputStream in = new ObjectInputStream(stream);
        Object first = in.readObject(); // expect: EL-JAVA-OBJECT-INPUT-STREAM
        var again = new ObjectInputStream(stream);
        again.readUnshared(); // expect: EL-JAVA-OBJECT-INPUT-STREAM
        new java.io.ObjectInputStream(stream).readObject(); // expect: EL-JAVA-OBJECT-INPUT-STREAM
        in.readInt();
        XMLDecoder decoder = new XMLDecoder(stream);
        decoder.readObject(); // expect: EL-JAVA-XML-DECODER
        Object data = new Yaml().load(text); // expect: EL-JAVA-SNAKEYAML-LOAD
        Yaml yaml = new Yaml();
        yaml.load(text); // expect: EL-JAVA-SNAKEYAML-LOAD
        new Yaml(new SafeConstructor()).load(text);
        return first;
    }

    void sql(Connection conn, String name, int id, String order) throws Exception {
        Statement stmt = conn.createStatement();
        stmt.executeQuery("SELECT * FROM users WHERE name = '" + name + "'"); // expect: EL-JAVA-SQL
        stmt.executeUpdate(String.format("DELETE FROM t WHERE name = '%s'", name)); // expect: EL-JAVA-SQL
        String query = "SELECT * FROM t WHERE a = 1";
        query += " ORDER BY " + order;
        stmt.execute(query); // expect: EL-JAVA-SQL
        StringBuilder sb = new StringBuilder("SELECT * FROM t WHERE name = '");
        sb.append(name).append("'");
        stmt.executeQuery(sb.toString()); // expect: EL-JAVA-SQL
        stmt.addBatch("INSERT INTO log VALUES ('" + name + "')"); // expect: EL-JAVA-SQL
        conn.prepareStatement("SELECT * FROM t WHERE name = '" + name + "'"); // expect: EL-JAVA-SQL
        em.createQuery("FROM User u WHERE u.name = '" + name + "'"); // expect: EL-JAVA-SQL
        em.createNativeQuery("SELECT * FROM t WHERE id = " + name); // expect: EL-JAVA-SQL
        jdbcTemplate.queryForList("SELECT * FROM t WHERE name = '" + name + "'"); // expect: EL-JAVA-SQL
        jdbcTemplate.update("UPDATE t SET seen = 1 WHERE name = '" + name + "'"); // expect: EL-JAVA-SQL
        getJdbcTemplate().query("SELECT * FROM t WHERE name = '" + name + "'", mapper); // expect: EL-JAVA-SQL
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM t WHERE name = ?");
        ps.setString(1, name);
        ps.executeQuery();
        stmt.executeQuery("SELECT 1");
        stmt.executeQuery("SELECT * FROM " + USERS + " WHERE id = " + id);
        stmt.executeQuery(new StringBuilder("SELECT * FROM t LIMIT ").append(id).toString());
        jdbcTemplate.query("SELECT * FROM t WHERE name = ?", mapper, name);
        cache.update("key:" + name);
        executor.execute(task);
    }

    void crypto(byte[] data, String password) throws Exception {
        MessageDigest.getInstance("MD5"); // expect: EL-JAVA-WEAK-HASH
        java.security.MessageDigest.getInstance("SHA-1"); // expect: EL-JAVA-WEAK-HASH
        DigestUtils.sha1Hex(data); // expect: EL-JAVA-WEAK-HASH
        String h = md5Hex(password); // expect: EL-JAVA-WEAK-HASH
        MessageDigest.getInstance("SHA-256");
        Cipher.getInstance(WEAK); // expect: EL-JAVA-WEAK-CIPHER
        Cipher.getInstance("AES/ECB/PKCS5Padding"); // expect: EL-JAVA-WEAK-CIPHER
        Cipher.getInstance("AES"); // expect: EL-JAVA-WEAK-CIPHER
        Cipher.getInstance("RC4"); // expect: EL-JAVA-WEAK-CIPHER
        Cipher.getInstance("AES/GCM/NoPadding");
        Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        Random random = new Random(); // expect: EL-JAVA-RANDOM
        java.security.SecureRandom secure = new java.security.SecureRandom();
    }

    void web(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String name = request.getParameter("name");
        response.getWriter().println("<p>Hello " + name + "</p>"); // expect: EL-JAVA-SERVLET-XSS
        response.getWriter().println("<p>Hello " + Encode.forHtml(name) + "</p>");
        response.getWriter().write("<p>static</p>");
    }

    // Look-alikes: declarations named like risky APIs, names in comments and strings.
    // Runtime.getRuntime().exec(cmd) in a comment is not a call
    String note = "stmt.executeQuery(\"SELECT \" + x) inside a string is not a call";

    Process exec(String command) {
        return null;
    }

    Object readObject(String s) {
        return s;
    }

    private void readObject(ObjectInputStream s) throws Exception {
        s.defaultReadObject();
        this.note = (String) s.readObject();
    }

    void lookalikes(String cmd, Calculator engineLike, List<String> argv) throws Exception {
        Runtime.getRuntime().exec(argv.toArray(new String[0]));
        exec(cmd);
        readObject(cmd);
        engineLike.eval(cmd);
        String sql = "SELECT * FROM t WHERE id = ?";
        jdbcTemplate.update(sql, cmd);
    }
}
