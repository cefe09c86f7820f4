package dev.mailroom.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mailroom.gateway.account.NewAccountRequest;
import dev.mailroom.gateway.problem.Problem.FieldError;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FieldErrorsTest {

  private static final String PASSWORD = "correct-horse-battery-staple";
  private static jakarta.validation.ValidatorFactory factory;
  private static Validator validator;

  @BeforeAll
  static void validator() {
    // The parameter interpolator needs no Expression Language, which Quarkus does not ship.
    factory =
        Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();
    validator = factory.getValidator();
  }

  @AfterAll
  static void close() {
    factory.close();
  }

  private static NewAccountRequest request(
      String host, Integer port, String security, String username, String password) {
    return new NewAccountRequest(
        "Support", "support@example.com", host, port, security, username, password);
  }

  @Test
  void missingHostAndPasswordAreBothNamed() {
    List<FieldError> errors =
        FieldErrors.fromViolations(validator.validate(request(null, 993, "tls", "me", " ")));

    assertThat(errors)
        .containsExactly(
            new FieldError("host", "must not be blank"),
            new FieldError("password", "must not be blank"));
    assertThat(FieldErrors.describe(errors))
        .isEqualTo("2 fields are invalid: host (must not be blank), password (must not be blank)");
  }

  @Test
  void everyRequiredFieldIsReportedAtOnce() {
    List<FieldError> errors =
        FieldErrors.fromViolations(validator.validate(request(null, null, null, null, null)));

    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("host", "password", "port", "security", "username");
  }

  @Test
  void portOutsideTheTcpRangeIsRefused() {
    assertThat(FieldErrors.fromViolations(validator.validate(request("h", 0, "tls", "u", "p"))))
        .extracting(FieldError::field)
        .containsExactly("port");
    assertThat(FieldErrors.fromViolations(validator.validate(request("h", 65536, "tls", "u", "p"))))
        .extracting(FieldError::field)
        .containsExactly("port");
    assertThat(validator.validate(request("h", 65535, "STARTTLS", "u", "p"))).isEmpty();
  }

  @Test
  void unknownSecurityNamesTheAllowedValues() {
    List<FieldError> errors =
        FieldErrors.fromViolations(validator.validate(request("h", 995, "pop3s", "u", "p")));

    assertThat(errors)
        .containsExactly(new FieldError("security", "must be one of tls, starttls, none"));
  }

  @Test
  void aTooLongPasswordIsReportedWithoutItsValue() {
    String longPassword = PASSWORD.repeat(50);
    List<FieldError> errors =
        FieldErrors.fromViolations(validator.validate(request("h", 993, "tls", "u", longPassword)));

    assertThat(errors).extracting(FieldError::field).containsExactly("password");
    assertThat(errors.toString() + FieldErrors.describe(errors)).doesNotContain(PASSWORD);
  }

  @Test
  void aWrongJsonTypeNamesTheFieldButNotTheValue() throws Exception {
    String json =
        "{\"host\":\"h\",\"port\":\"" + PASSWORD + "\",\"password\":\"" + PASSWORD + "\"}";
    MismatchedInputException e =
        catchThrowableOfType(
            MismatchedInputException.class,
            () -> new ObjectMapper().readValue(json, NewAccountRequest.class));

    FieldError error = FieldErrors.fromMismatchedInput(e);

    assertThat(error).isEqualTo(new FieldError("port", "must be a whole number"));
    assertThat(e.getMessage()).as("Jackson's own message does quote it").contains(PASSWORD);
  }

  @Test
  void aBodyOfTheWrongShapeIsAboutTheBody() {
    MismatchedInputException e =
        catchThrowableOfType(
            MismatchedInputException.class,
            () -> new ObjectMapper().readValue("[1, 2]", NewAccountRequest.class));

    assertThat(FieldErrors.fromMismatchedInput(e))
        .isEqualTo(new FieldError("body", "must be a JSON object"));
  }

  @Test
  void oneFieldIsDescribedInTheSingular() {
    assertThat(FieldErrors.describe(List.of(new FieldError("mailbox", "is required"))))
        .isEqualTo("1 field is invalid: mailbox (is required)");
  }
}
