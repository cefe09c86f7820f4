package dev.mailroom.search.routing;

import dev.mailroom.search.query.QueryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque cursor of a search page: the offset of the next result. Results are ordered by rank,
 * which has no stable key to seek after, so an offset it is; a page past the server's cap ends the
 * list (ServerSearches asks for at most {@link SearchRouter#SERVER_CAP} matches).
 */
final class PageCursor {

  private static final String PREFIX = "o1:";

  private PageCursor() {}

  static String of(int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + offset).getBytes(StandardCharsets.US_ASCII));
  }

  static int offset(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (text.startsWith(PREFIX)) {
        int offset = Integer.parseInt(text.substring(PREFIX.length()));
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw new QueryException(
        "cursor '" + cursor + "' is not one this API gave out; start again without a cursor");
  }
}
