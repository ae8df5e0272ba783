/**
 * The transport SPI (issue #3: not built yet).
 */
package sip.transport.spi;
