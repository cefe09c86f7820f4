import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * heap.sh's sampler: attaches to the connector's JVM once (its local JMX agent, started through the
 * Attach API) and asks for a full collection (MemoryMXBean.gc(), System.gc() under Serial) every
 * interval, until that JVM exits. The heap after each of these collections is the live data at that
 * instant; heap.sh reads it from the JVM's own GC log. One attached JVM for the whole run: a jcmd
 * per sample would start a JVM every interval, on the same 2 cores.
 *
 * <p>Arguments: pid intervalSeconds.
 */
public class GcSampler {
  public static void main(String[] a) throws Exception {
    long interval = (long) (Double.parseDouble(a[1]) * 1000);
    VirtualMachine vm = VirtualMachine.attach(a[0]);
    String address = vm.startLocalManagementAgent();
    vm.detach();
    try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      MBeanServerConnection server = jmx.getMBeanServerConnection();
      MemoryMXBean memory =
          ManagementFactory.newPlatformMXBeanProxy(
              server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
      System.out.println("sampling");
      while (true) {
        memory.gc();
        Thread.sleep(interval);
      }
    } catch (java.io.IOException | java.lang.reflect.UndeclaredThrowableException gone) {
      // the connector exited (done, or OutOfMemoryError)
    }
  }
}
