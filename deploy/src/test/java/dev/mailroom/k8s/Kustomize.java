package dev.mailroom.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset deploy/k8s uses:
 * {@code resources} (files, and folders holding a kustomization), {@code namespace}, {@code labels}
 * (with {@code includeTemplates}), {@code images} and {@code patches} as JSON 6902 operations on a
 * {@code target} by kind and name. No kustomize runs on the build machines (none is packaged for
 * Debian or Maven Central); anything outside the subset is refused, so a manifest cannot silently
 * rely on a feature this renderer ignores.
 */
final class Kustomize {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> KNOWN =
      Set.of("apiVersion", "kind", "resources", "namespace", "labels", "images", "patches");

  /** Kinds without a namespace among those the manifests use. */
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

  private Kustomize() {}

  /** The objects of the kustomization in {@code dir}, in order. */
  static List<ObjectNode> render(Path dir) throws IOException {
    JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    k.fieldNames()
        .forEachRemaining(
            f -> {
              if (!KNOWN.contains(f)) {
                throw new IllegalArgumentException(
                    dir + "/kustomization.yaml: '" + f + "' is not supported here");
              }
            });
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode resource : k.path("resources")) {
      Path path = dir.resolve(resource.asText()).normalize();
      objects.addAll(Files.isDirectory(path) ? render(path) : documents(path));
    }
    for (JsonNode patch : k.path("patches")) {
      patch(objects, patch, dir);
    }
    for (JsonNode image : k.path("images")) {
      images(objects, image);
    }
    for (JsonNode label : k.path("labels")) {
      labels(objects, label);
    }
    if (k.hasNonNull("namespace")) {
      for (ObjectNode o : objects) {
        if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
          ((ObjectNode) o.get("metadata")).put("namespace", k.get("namespace").asText());
        }
      }
    }
    return objects;
  }

  static List<ObjectNode> documents(Path file) throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
      Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          out.add((ObjectNode) doc);
        }
      }
    }
    return out;
  }

  private static void patch(List<ObjectNode> objects, JsonNode patch, Path dir) throws IOException {
    JsonNode target = patch.path("target");
    if (!patch.hasNonNull("patch") || patch.hasNonNull("path")) {
      throw new IllegalArgumentException(
          dir + ": only inline JSON 6902 patches with a target are supported");
    }
    JsonNode ops = YAML.readTree(patch.get("patch").asText());
    int matched = 0;
    for (ObjectNode o : objects) {
      if (target.hasNonNull("kind")
          && !target.get("kind").asText().equals(o.path("kind").asText())) {
        continue;
      }
      if (target.hasNonNull("name")
          && !target.get("name").asText().equals(o.path("metadata").path("name").asText())) {
        continue;
      }
      matched++;
      for (JsonNode op : ops) {
        JsonPatch.apply(o, op);
      }
    }
    if (matched == 0) {
      // kustomize says nothing; a patch that reaches nothing is always a mistake here.
      throw new IllegalArgumentException(dir + ": patch target " + target + " matches no object");
    }
  }

  private static void images(List<ObjectNode> objects, JsonNode image) {
    String name = image.get("name").asText();
    for (ObjectNode o : objects) {
      for (JsonNode container : o.path("spec").path("template").path("spec").path("containers")) {
        String current = container.path("image").asText();
        int colon = current.lastIndexOf(':');
        String repo = colon > current.lastIndexOf('/') ? current.substring(0, colon) : current;
        String tag = colon > current.lastIndexOf('/') ? current.substring(colon + 1) : null;
        if (repo.equals(name)) {
          String newRepo = image.path("newName").asText(repo);
          String newTag = image.path("newTag").asText(tag);
          ((ObjectNode) container).put("image", newTag == null ? newRepo : newRepo + ":" + newTag);
        }
      }
    }
  }

  private static void labels(List<ObjectNode> objects, JsonNode label) {
    if (label.path("includeSelectors").asBoolean(false)) {
      throw new IllegalArgumentException("labels.includeSelectors is not supported here");
    }
    boolean templates = label.path("includeTemplates").asBoolean(false);
    for (ObjectNode o : objects) {
      for (Map.Entry<String, JsonNode> pair : label.path("pairs").properties()) {
        ObjectNode metadata = (ObjectNode) o.get("metadata");
        metadata.withObject("labels").set(pair.getKey(), pair.getValue());
        JsonNode template = o.path("spec").path("template");
        if (templates && template.isObject()) {
          ((ObjectNode) template)
              .withObject("metadata")
              .withObject("labels")
              .set(pair.getKey(), pair.getValue());
        }
      }
    }
  }

  /** RFC 6902 add, replace and remove; the manifests use no other operation. */
  static final class JsonPatch {
    private JsonPatch() {}

    static void apply(ObjectNode root, JsonNode op) {
      String[] path = op.get("path").asText().substring(1).split("/", -1);
      JsonNode parent = root;
      for (int i = 0; i < path.length - 1; i++) {
        parent =
            parent.isArray()
                ? parent.get(Integer.parseInt(unescape(path[i])))
                : parent.get(unescape(path[i]));
        if (parent == null) {
          throw new IllegalArgumentException("patch path " + op.get("path") + " does not exist");
        }
      }
      String last = unescape(path[path.length - 1]);
      switch (op.get("op").asText()) {
        case "replace" -> {
          if (parent.isObject() && !parent.has(last)) {
            throw new IllegalArgumentException("replace of missing " + op.get("path"));
          }
          if (parent.isArray()) {
            ((ArrayNode) parent).set(Integer.parseInt(last), op.get("value"));
          } else {
            ((ObjectNode) parent).set(last, op.get("value"));
          }
        }
        case "add" -> set(parent, last, op.get("value"));
        case "remove" -> {
          if (parent.isArray()) {
            ((ArrayNode) parent).remove(Integer.parseInt(last));
          } else {
            ((ObjectNode) parent).remove(last);
          }
        }
        default ->
            throw new IllegalArgumentException(
                "patch op " + op.get("op") + " is not supported here");
      }
    }

    private static void set(JsonNode parent, String key, JsonNode value) {
      if (parent.isArray()) {
        ArrayNode array = (ArrayNode) parent;
        if (key.equals("-")) {
          array.add(value);
        } else {
          array.insert(Integer.parseInt(key), value); // RFC 6902 §4.1: add inserts
        }
      } else {
        ((ObjectNode) parent).set(key, value);
      }
    }

    private static String unescape(String token) {
      return token.replace("~1", "/").replace("~0", "~");
    }
  }
}
