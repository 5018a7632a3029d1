// Started by ClusterIT as `java -cp <hadoop-client-minicluster, hadoop-client-api/runtime, junit>
// MiniClusterMain.java BASE` (a single-file source program: it compiles against the mini cluster's
// classes, which the test class path does not hold). Starts an HDFS (1 NameNode, 1 DataNode) and a
// YARN (1 ResourceManager, 1 NodeManager) under BASE, writes their client configuration to
// BASE/conf (core-site.xml, hdfs-site.xml, yarn-site.xml: a HADOOP_CONF_DIR), prints
// "READY <hdfs uri>" and runs until its standard input closes.
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

public class MiniClusterMain {
  public static void main(String[] args) throws Exception {
    File base = new File(args[0]).getAbsoluteFile();
    int nmMemoryMb = Integer.parseInt(args.length > 1 ? args[1] : "4096");
    Configuration conf = new YarnConfiguration();
    conf.set("hadoop.tmp.dir", new File(base, "tmp").getPath());
    // Small containers on a small machine: no physical/virtual memory policing (the JVMs'
    // reserved virtual memory far exceeds their heaps), a 256 MB allocation unit.
    conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
    conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
    conf.setInt("yarn.nodemanager.resource.memory-mb", nmMemoryMb);
    conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
    conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
    conf.setInt("yarn.scheduler.maximum-allocation-mb", nmMemoryMb);
    // A full build disk must not mark the only NodeManager unhealthy.
    conf.setFloat(
        "yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", 99.9f);
    conf.setInt("yarn.nodemanager.delete.debug-delay-sec", 600);
    conf.setBoolean("dfs.permissions.enabled", false);
    // The capacity scheduler (EMR's) with one queue; capacity-scheduler.xml is not on this class
    // path. Room for an ApplicationMaster of ~1.2 GB beside its executor.
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
    conf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
    conf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");

    MiniDFSCluster dfs =
        new MiniDFSCluster.Builder(conf, new File(base, "dfs")).numDataNodes(1).build();
    dfs.waitActive();
    conf.set("fs.defaultFS", dfs.getURI().toString());

    MiniYARNCluster yarn = new MiniYARNCluster("longmix-it", 1, 1, 1);
    yarn.init(conf);
    yarn.start();
    // After start the configuration holds the ports the daemons bound. A client needs only those
    // and the filesystem: the rest names test-only classes (e.g. StaticMapping) that a real
    // cluster's client (Spark's jars) does not have.
    Configuration client = new Configuration(false);
    client.set("fs.defaultFS", dfs.getURI().toString());
    for (java.util.Map.Entry<String, String> e : yarn.getConfig()) {
      if (e.getKey().startsWith("yarn.resourcemanager.") && e.getKey().endsWith("address")) {
        client.set(e.getKey(), yarn.getConfig().get(e.getKey()));
      }
    }
    File confDir = new File(base, "conf");
    confDir.mkdirs();
    for (String name : new String[] {"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
      try (OutputStream out = new FileOutputStream(new File(confDir, name))) {
        client.writeXml(out);
      }
    }
    System.out.println("READY " + dfs.getURI() + " rm=" + client.get("yarn.resourcemanager.address"));
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the test closes our standard input (or dies)
    }
    yarn.stop();
    dfs.shutdown();
    System.out.println("STOPPED");
  }
}
