package dev.mailroom.events.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One address of an envelope field: the display name is optional. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmailAddress(String name, String address) {}
