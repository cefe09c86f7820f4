package dev.mailroom.search.query;

/** A query the grammar refuses; the message names what is wrong and how to write it instead. */
public final class QueryException extends RuntimeException {

  public QueryException(String message) {
    super(message);
  }
}
