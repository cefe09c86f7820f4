package dev.mailroom.gateway.problem;

import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns Bean Validation violations and Jackson binding errors into {@link FieldError}s named after
 * the JSON field or query parameter the client sent.
 *
 * <p>Neither path copies the exception's own message or the rejected value: Jackson quotes the
 * offending token ("Cannot deserialize value of type `int` from String \"hunter2\""), and the
 * offending field may be the password.
 */
public final class FieldErrors {

  /** What a field is called when the whole body is at fault (missing, or not an object). */
  public static final String BODY = "body";

  private static final Comparator<FieldError> ORDER =
      Comparator.comparing(FieldError::field).thenComparing(FieldError::message);

  private FieldErrors() {}

  public static List<FieldError> fromViolations(Collection<? extends ConstraintViolation<?>> all) {
    return all.stream()
        .map(v -> new FieldError(fieldOf(v.getPropertyPath()), v.getMessage()))
        .distinct()
        .sorted(ORDER)
        .toList();
  }

  /**
   * True when a violation is about what a resource method returned: that is the gateway's bug, not
   * the client's, and must not come out as a 400.
   */
  public static boolean isAboutReturnValue(Collection<? extends ConstraintViolation<?>> all) {
    return all.stream()
        .anyMatch(
            v -> {
              for (Path.Node node : v.getPropertyPath()) {
                if (node.getKind() == ElementKind.RETURN_VALUE) {
                  return true;
                }
              }
              return false;
            });
  }

  /**
   * The field a Jackson binding error is about, with what was expected there; an empty path means
   * the body as a whole had the wrong shape (an array instead of an object, say).
   */
  public static FieldError fromMismatchedInput(MismatchedInputException e) {
    String field = jsonPath(e.getPath());
    if (e instanceof UnrecognizedPropertyException) {
      return new FieldError(field, "is not a known field");
    }
    return new FieldError(field, expectation(e.getTargetType()));
  }

  /** "host (must not be blank), password (must not be blank)", field by field. */
  public static String describe(List<FieldError> errors) {
    if (errors.isEmpty()) {
      return "the request is not valid";
    }
    String fields =
        errors.stream()
            .collect(
                Collectors.groupingBy(
                    FieldError::field,
                    java.util.TreeMap::new,
                    Collectors.mapping(FieldError::message, Collectors.joining("; "))))
            .entrySet()
            .stream()
            .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
            .collect(Collectors.joining(", "));
    long count = errors.stream().map(FieldError::field).distinct().count();
    return (count == 1 ? "1 field is invalid: " : count + " fields are invalid: ") + fields;
  }

  /**
   * The last bean property of the path ("create.body.host" is "host"), or the parameter name when
   * the violation is on a parameter itself (a missing body, a query parameter).
   */
  static String fieldOf(Path path) {
    String property = null;
    String parameter = null;
    for (Path.Node node : path) {
      if (node.getKind() == ElementKind.PROPERTY) {
        property = property == null ? node.getName() : property + "." + node.getName();
      } else if (node.getKind() == ElementKind.PARAMETER) {
        parameter = node.getName();
      }
    }
    if (property != null) {
      return property;
    }
    return parameter != null ? parameter : BODY;
  }

  private static String jsonPath(List<Reference> path) {
    StringBuilder field = new StringBuilder();
    for (Reference reference : path) {
      if (reference.getFieldName() != null) {
        if (!field.isEmpty()) {
          field.append('.');
        }
        field.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    return field.isEmpty() ? BODY : field.toString();
  }

  private static String expectation(Class<?> target) {
    if (target == null) {
      return "has the wrong type";
    }
    if (target == Integer.class
        || target == int.class
        || target == Long.class
        || target == long.class
        || target == Short.class
        || target == short.class) {
      return "must be a whole number";
    }
    if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
      return "must be a number";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "must be true or false";
    }
    if (target == String.class) {
      return "must be a string";
    }
    if (target.isEnum()) {
      return "must be one of "
          + Arrays.stream(target.getEnumConstants())
              .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
              .collect(Collectors.joining(", "));
    }
    if (target.isArray() || Collection.class.isAssignableFrom(target)) {
      return "must be an array";
    }
    return "must be a JSON object";
  }
}
