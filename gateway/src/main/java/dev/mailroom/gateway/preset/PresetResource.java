package dev.mailroom.gateway.preset;

import dev.mailroom.gateway.problem.GatewayException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Known providers' settings, to fill the new-account form. */
@Path("/api/presets")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "presets", description = "Known providers' IMAP and SMTP settings")
public class PresetResource {

  /** All presets, or the one for {@code email}'s domain (404 when none is known). */
  @GET
  public List<Preset> list(@QueryParam("email") String email) {
    if (email == null || email.isBlank()) {
      return Presets.ALL;
    }
    ProviderPolicy.checkAddress(email);
    return List.of(
        Presets.byAddress(email)
            .orElseThrow(
                () ->
                    new GatewayException.NotFound(
                        "no preset for this address's domain: enter the IMAP host, port and security your provider documents")));
  }

  @GET
  @Path("/{name}")
  public Preset byName(@PathParam("name") String name) {
    return Presets.byName(name)
        .orElseThrow(
            () ->
                new GatewayException.NotFound(
                    "no preset named "
                        + name
                        + "; known: gmail, outlook, yahoo, aol, icloud, fastmail, zoho"));
  }
}
