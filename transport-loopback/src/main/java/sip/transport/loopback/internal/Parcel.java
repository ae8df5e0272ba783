package sip.transport.loopback.internal;

import java.util.function.BooleanSupplier;

/**
 * One thing the delivery queue hands out: a copy of a message for its receiver, or a connection
 * event for a handler.
 *
 * @param message true for a message (counted delivered or dropped), false for an event
 * @param arrival hands it over on the delivery thread; true if a receiver took it, false if there
 *     was none (nobody bound at the address, or the receiving connection closed meanwhile)
 */
record Parcel(boolean message, BooleanSupplier arrival) {
}
