package dev.mailroom.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay of deploy/k8s and checks what an SRE relies on when applying it: each
 * object valid against the Kubernetes API or its CRD's schema, no Secret committed, every setting a
 * service needs given, hardened and probed pods with budgets, default-deny network policies, the
 * topics of deploy/topics.conf, and alerts and dashboards that name metrics the services really
 * export.
 */
class DeployManifestsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path K8S = ROOT.resolve("deploy/k8s");
  private static final List<String> SERVICES =
      List.of("gateway", "connector-service", "sync-service", "search-service", "health-service");

  /** Set by ./mailroom only for the local machine (its CA, its loopback, its bind address). */
  private static final Set<String> LOCAL_ONLY =
      Set.of(
          "QUARKUS_HTTP_HOST",
          "QUARKUS_PROFILE",
          "MAILROOM_IMAP_TRUSTED_CA",
          "MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS");

  private static List<ObjectNode> render(String overlay) throws IOException {
    return Kustomize.render(K8S.resolve(overlay));
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/prod", "base"})
  void everyObjectIsValidAgainstItsSchema(String overlay) throws IOException {
    List<String> problems = new ArrayList<>();
    List<ObjectNode> objects = render(overlay);
    for (ObjectNode o : objects) {
      ManifestSchemas.problems(o).forEach(p -> problems.add(name(o) + ": " + p));
    }
    assertThat(problems).isEmpty();
    assertThat(objects)
        .extracting(o -> o.path("kind").asText())
        .contains(
            "Deployment",
            "NetworkPolicy",
            "Kafka",
            "KafkaTopic",
            "Cluster",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "PrometheusRule",
            "ConfigMap");
    assertThat(objects).noneMatch(o -> o.path("kind").asText().equals("Secret"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/prod"})
  void everyPodIsHardenedProbedSizedAndBudgeted(String overlay) throws IOException {
    List<ObjectNode> objects = render(overlay);
    for (ObjectNode d : ofKind(objects, "Deployment")) {
      JsonNode pod = d.path("spec").path("template").path("spec");
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name(d)).isTrue();
      for (JsonNode c : pod.path("containers")) {
        String where = name(d) + "/" + c.path("name").asText();
        assertThat(c.path("readinessProbe").isObject()).as(where + " readiness").isTrue();
        assertThat(c.path("livenessProbe").isObject()).as(where + " liveness").isTrue();
        assertThat(c.path("resources").path("requests").path("memory").isMissingNode())
            .as(where)
            .isFalse();
        assertThat(c.path("resources").path("limits").path("memory").isMissingNode())
            .as(where)
            .isFalse();
        assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
            .as(where)
            .isTrue();
        assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true))
            .as(where)
            .isFalse();
      }
      String app =
          d.path("spec")
              .path("selector")
              .path("matchLabels")
              .path("app.kubernetes.io/name")
              .asText();
      assertThat(ofKind(objects, "PodDisruptionBudget"))
          .as("a PodDisruptionBudget for " + app)
          .anyMatch(
              p ->
                  app.equals(
                      p.path("spec")
                          .path("selector")
                          .path("matchLabels")
                          .path("app.kubernetes.io/name")
                          .asText()));
      assertThat(pod.path("securityContext").toString()).doesNotContain("\"runAsUser\":0");
    }
    ObjectNode hpa = one(objects, "HorizontalPodAutoscaler", "connector-service");
    assertThat(
            hpa.path("spec")
                .path("metrics")
                .get(0)
                .path("pods")
                .path("metric")
                .path("name")
                .asText())
        .isEqualTo("mailroom_connector_sessions");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/prod"})
  void everySettingAServiceNeedsIsGivenAndDocumented(String overlay) throws IOException {
    List<ObjectNode> objects = render(overlay);
    Map<String, Set<String>> needed =
        ServicesScript.exportsBySevice(ROOT.resolve("deploy/scripts/services.sh"), SERVICES);
    String readme = Files.readString(K8S.resolve("README.md"));
    for (String service : SERVICES) {
      ObjectNode d = one(objects, "Deployment", service);
      JsonNode env =
          d.path("spec").path("template").path("spec").path("containers").get(0).path("env");
      Set<String> given = new HashSet<>();
      for (JsonNode e : env) {
        given.add(e.path("name").asText());
        JsonNode from = e.path("valueFrom");
        for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
          if (from.has(ref)) {
            // Every key the cluster's ConfigMap or Secret must hold is in the README's list.
            assertThat(readme)
                .as(service + " " + ref + " " + from.get(ref))
                .contains("`" + from.get(ref).path("key").asText() + "`");
          }
        }
      }
      Set<String> missing = new TreeSet<>(needed.get(service));
      missing.removeAll(LOCAL_ONLY);
      missing.removeAll(given);
      assertThat(missing)
          .as(service + ": settings ./mailroom gives it that the Deployment does not")
          .isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/prod"})
  void networkPoliciesDenyByDefaultAndTheConnectorReachesOnlyPublicMailPorts(String overlay)
      throws IOException {
    List<ObjectNode> objects = render(overlay);
    ObjectNode deny = one(objects, "NetworkPolicy", "default-deny");
    assertThat(deny.path("spec").path("podSelector").isEmpty()).isTrue();
    assertThat(deny.path("spec").path("policyTypes").toString()).contains("Ingress", "Egress");
    assertThat(deny.path("spec").has("ingress") || deny.path("spec").has("egress")).isFalse();
    ObjectNode mail = one(objects, "NetworkPolicy", "connector-to-mail-servers");
    for (JsonNode rule : mail.path("spec").path("egress")) {
      Set<Integer> ports = new HashSet<>();
      rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
      assertThat(ports).isSubsetOf(143, 993, 587, 465, 25);
      for (JsonNode to : rule.path("to")) {
        assertThat(to.has("ipBlock")).as("mail servers are reached by address block only").isTrue();
        if (to.path("ipBlock").path("cidr").asText().equals("0.0.0.0/0")) {
          assertThat(to.path("ipBlock").path("except").toString())
              .contains(
                  "10.0.0.0/8",
                  "172.16.0.0/12",
                  "192.168.0.0/16",
                  "169.254.0.0/16",
                  "100.64.0.0/10",
                  "127.0.0.0/8",
                  "198.18.0.0/15",
                  "192.0.0.0/24");
        }
      }
    }
    // Only the gateway may call the internal services.
    ObjectNode internal = one(objects, "NetworkPolicy", "internal-services");
    assertThat(internal.path("spec").path("ingress").toString())
        .contains("\"app.kubernetes.io/name\":\"gateway\"")
        .doesNotContain("namespaceSelector")
        .doesNotContain("ipBlock");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/prod"})
  void theTopicsAreThoseOfTopicsConf(String overlay) throws IOException {
    Map<String, List<String>> conf = new HashMap<>();
    for (String line : Files.readAllLines(ROOT.resolve("deploy/topics.conf"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.trim().split("\\s+");
        conf.put(f[0], List.of(f[1], f[2], f[3]));
      }
    }
    Map<String, List<String>> rendered = new HashMap<>();
    for (ObjectNode t : ofKind(render(overlay), "KafkaTopic")) {
      JsonNode spec = t.path("spec");
      rendered.put(
          spec.path("topicName").asText(),
          List.of(
              spec.path("partitions").asText(),
              spec.path("config").path("cleanup.policy").asText(),
              spec.path("config").path("retention.ms").asText()));
    }
    assertThat(rendered).isEqualTo(conf);
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/prod"})
  void alertsAndDashboardsNameOnlyExportedMetrics(String overlay) throws IOException {
    List<ObjectNode> objects = render(overlay);
    List<String> expressions = new ArrayList<>();
    for (JsonNode group : one(objects, "PrometheusRule", "mailroom").path("spec").path("groups")) {
      group.path("rules").forEach(r -> expressions.add(r.path("expr").asText()));
    }
    JsonNode dashboard =
        Kustomize.YAML.readTree(
            one(objects, "ConfigMap", "mailroom-dashboard")
                .path("data")
                .path("mailroom.json")
                .asText());
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
    Set<String> exported = Metrics.exported(ROOT, SERVICES);
    Set<String> named = new TreeSet<>();
    expressions.forEach(e -> named.addAll(Metrics.namesIn(e)));
    assertThat(named)
        .as("metric names in the alerts and the dashboard")
        .contains(
            "mailroom_connector_sessions",
            "mailroom_sync_events_applied_total",
            "kafka_consumer_fetch_manager_records_lag_max",
            "mailroom_health_status_changes_total",
            "mailroom_sync_events_dead_lettered_total");
    assertThat(exported).containsAll(named);
  }

  @org.junit.jupiter.api.Test
  void theValidatorRefusesWhatTheApiServerWould() throws IOException {
    ObjectNode deployment =
        (ObjectNode)
            Kustomize.YAML.readTree(
                """
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: x }
        spec:
          selector: { matchLabels: { a: b } }
          template:
            metadata: { labels: { a: b } }
            spec:
              containers: [{ name: x, image: x, readinessProbes: {} }]
        """);
    assertThat(ManifestSchemas.problems(deployment))
        .singleElement()
        .asString()
        .contains("readinessProbes");
    ObjectNode topic =
        (ObjectNode)
            Kustomize.YAML.readTree(
                """
        apiVersion: kafka.strimzi.io/v1
        kind: KafkaTopic
        metadata: { name: t }
        spec: { partitions: "twelve", replica: 3 }
        """);
    assertThat(ManifestSchemas.problems(topic)).hasSizeGreaterThanOrEqualTo(2);
    ObjectNode unknown =
        (ObjectNode)
            Kustomize.YAML.readTree(
                """
        apiVersion: example.com/v1
        kind: Gadget
        metadata: { name: g }
        """);
    assertThat(ManifestSchemas.problems(unknown)).isNotEmpty();
  }

  private static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  private static ObjectNode one(List<ObjectNode> objects, String kind, String name) {
    return ofKind(objects, kind).stream()
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static String name(JsonNode o) {
    return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
  }

  /** What deploy/scripts/services.sh exports for each service: the settings a real run needs. */
  static final class ServicesScript {
    private static final Pattern CASE = Pattern.compile("^\\s*([a-z| -]+)\\)\\s*$");

    static Map<String, Set<String>> exportsBySevice(Path script, List<String> services)
        throws IOException {
      Map<String, Set<String>> out = new HashMap<>();
      services.forEach(s -> out.put(s, new TreeSet<>()));
      boolean inside = false;
      List<String> current = services;
      for (String line : Files.readAllLines(script)) {
        if (line.startsWith("service_export_env()")) {
          inside = true;
          continue;
        }
        if (!inside) {
          continue;
        }
        if (line.equals("}")) {
          break;
        }
        Matcher c = CASE.matcher(line);
        if (c.matches()) {
          current = Stream.of(c.group(1).split("\\|")).map(String::trim).toList();
        } else if (line.trim().equals(";;") || line.trim().equals("esac")) {
          current = services;
        } else if (line.trim().startsWith("export ")) {
          for (String token : line.trim().substring(7).split("\\s+(?=[A-Z_]+(=|\\s|$))")) {
            String nameOnly = token.split("=", 2)[0].trim();
            if (nameOnly.matches("[A-Z_][A-Z0-9_]*")) {
              current.forEach(s -> out.get(s).add(nameOnly));
            }
          }
        }
      }
      return out;
    }
  }

  /** Metric names: Mailroom's own from the Micrometer meters in the code, the rest as scraped. */
  static final class Metrics {
    private static final Pattern METER =
        Pattern.compile("\\.(counter|gauge|timer|summary)\\(\"(mailroom\\.[a-z0-9_.]+)\"");
    private static final Set<String> PROMQL =
        Set.of(
            "sum",
            "rate",
            "increase",
            "max",
            "min",
            "avg",
            "count",
            "by",
            "without",
            "offset",
            "and",
            "or",
            "unless",
            "on",
            "ignoring",
            "irate",
            "delta",
            "abs",
            "histogram_quantile",
            "topk",
            "bottomk",
            "group_left",
            "group_right",
            "bool",
            "absent",
            "clamp_min");

    static Set<String> exported(Path root, List<String> services) throws IOException {
      Set<String> names = new TreeSet<>();
      for (String service : services) {
        try (Stream<Path> files = Files.walk(root.resolve(service).resolve("src/main/java"))) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
            Matcher m = METER.matcher(Files.readString(f));
            while (m.find()) {
              String name = m.group(2).replace('.', '_');
              names.add(m.group(1).equals("counter") ? name + "_total" : name);
            }
          }
        }
      }
      try (var in = DeployManifestsTest.class.getResourceAsStream("/k8s/framework-metrics.txt")) {
        new String(in.readAllBytes())
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .forEach(names::add);
      }
      return names;
    }

    static Set<String> namesIn(String expr) {
      String bare =
          expr.replaceAll("\\{[^}]*\\}", " ")
              .replaceAll("\\b\\d+(\\.\\d+)?(ms|[smhdwy])?\\b", " ")
              .replaceAll("\\[[^]]*\\]", " ")
              .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
      Set<String> names = new TreeSet<>();
      Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
      while (m.find()) {
        String token = m.group();
        if (!PROMQL.contains(token)) {
          names.add(token);
        }
      }
      return names;
    }
  }
}
