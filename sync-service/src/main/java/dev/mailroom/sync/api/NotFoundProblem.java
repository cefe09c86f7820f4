package dev.mailroom.sync.api;

import jakarta.ws.rs.NotFoundException;

/** A resource that does not exist; mapped to a 404 problem. */
public class NotFoundProblem extends NotFoundException {
  public NotFoundProblem(String detail) {
    super(detail);
  }
}
