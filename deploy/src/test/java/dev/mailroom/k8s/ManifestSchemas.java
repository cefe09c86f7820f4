package dev.mailroom.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Validates rendered objects. Built-in kinds are read into the Kubernetes API model (fabric8's,
 * generated from the Kubernetes OpenAPI): a kind it does not know, a field of the wrong type or a
 * field the API does not have (which fabric8 keeps aside as an "additional property") is an error.
 * Custom resources are checked against their CRD's schema (src/test/resources/k8s/ crd-schemas,
 * sources in SOURCES.md), with unknown fields refused as the API server's strict field validation
 * does.
 */
final class ManifestSchemas {

  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CRDS =
      Map.of(
          "kafka.strimzi.io/v1:Kafka", "kafka.strimzi.io_v1_Kafka.json",
          "kafka.strimzi.io/v1:KafkaNodePool", "kafka.strimzi.io_v1_KafkaNodePool.json",
          "kafka.strimzi.io/v1:KafkaTopic", "kafka.strimzi.io_v1_KafkaTopic.json",
          "postgresql.cnpg.io/v1:Cluster", "postgresql.cnpg.io_v1_Cluster.json",
          "postgresql.cnpg.io/v1:Database", "postgresql.cnpg.io_v1_Database.json",
          "monitoring.coreos.com/v1:PrometheusRule", "monitoring.coreos.com_v1_PrometheusRule.json",
          "monitoring.coreos.com/v1:ServiceMonitor",
              "monitoring.coreos.com_v1_ServiceMonitor.json");

  private ManifestSchemas() {}

  /**
   * @return what is wrong with {@code object}, empty when it is valid
   */
  static List<String> problems(ObjectNode object) throws IOException {
    String key = object.path("apiVersion").asText() + ":" + object.path("kind").asText();
    String crd = CRDS.get(key);
    if (crd != null) {
      return crdProblems(crd, object);
    }
    List<String> problems = new ArrayList<>();
    Object model;
    try {
      model = KUBERNETES.unmarshal(object.toString());
    } catch (RuntimeException e) {
      return List.of(key + ": " + e.getMessage());
    }
    if (model instanceof GenericKubernetesResource || !(model instanceof KubernetesResource)) {
      return List.of(key + ": not a kind of the Kubernetes API nor of a known CRD");
    }
    unknownFields(model, key, problems);
    return problems;
  }

  private static List<String> crdProblems(String file, ObjectNode object) throws IOException {
    JsonNode schema;
    try (InputStream in = ManifestSchemas.class.getResourceAsStream("/k8s/crd-schemas/" + file)) {
      schema = JSON.readTree(in);
    }
    strict(schema);
    // apiVersion, kind and metadata are the API server's, not the CRD's, to check.
    ObjectNode body = object.deepCopy();
    ((ObjectNode) schema.withObject("properties")).putObject("metadata").put("type", "object");
    JsonSchema validator =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    return validator.validate(body).stream().map(m -> file + ": " + m.getMessage()).toList();
  }

  /** Objects with declared properties accept no others, unless the CRD says it keeps them. */
  private static void strict(JsonNode schema) {
    if (schema.isObject()) {
      ObjectNode node = (ObjectNode) schema;
      if (node.has("properties")
          && !node.has("additionalProperties")
          && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        node.put("additionalProperties", false);
      }
      node.elements().forEachRemaining(ManifestSchemas::strict);
    } else if (schema.isArray()) {
      schema.elements().forEachRemaining(ManifestSchemas::strict);
    }
  }

  /** Every field fabric8 did not recognise, with where it was. */
  private static void unknownFields(Object node, String path, List<String> problems) {
    if (node == null || !node.getClass().getName().startsWith("io.fabric8.")) {
      if (node instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          unknownFields(item, path + "[" + i++ + "]", problems);
        }
      } else if (node instanceof Map<?, ?> map) {
        map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
      }
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(path + ": unknown field(s) " + extra.keySet());
        }
        continue;
      }
      String field =
          Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      unknownFields(value, path + "." + field, problems);
    }
  }
}
