// Runs Neo4j Community embedded, with its Bolt connector on loopback, so the project
// has a real Neo4j without Docker or a server download (only Maven Central is reachable).
// Run as a single-file program: java -cp 'lib/*' Launcher.java <dataDir> <boltPort>
import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Launcher {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : ".cache/neo4j/data").toAbsolutePath();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 7687;
    String pageCache = System.getenv().getOrDefault("NEO4J_PAGECACHE", "512m");
    long start = System.nanoTime();
    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        // 127.0.0.1, not localhost: Node may resolve localhost to ::1.
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
        .setConfig(HttpConnector.enabled, false)
        // Tests and local development only: the auth of a shared deployment is docker-compose's.
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pageCache))
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME); // blocks until available
    long ms = (System.nanoTime() - start) / 1_000_000;
    // scripts/neo4j/neo4j.mjs waits for this exact line.
    System.out.println("NEO4J READY bolt://127.0.0.1:" + port + " in " + ms + " ms");
    System.out.flush();
    Thread.currentThread().join();
  }
}
