/**
 * Transactions, dialogs and the UA API (issues #4, #5: not built yet).
 */
package sip.router;
