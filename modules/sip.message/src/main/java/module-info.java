/**
 * The SIP message model, URIs, typed headers, the lazy parser, the serializer and stream
 * framing. No dependencies beyond {@code java.base}.
 *
 * <h2>Limits</h2>
 * Every limit is set on {@link sip.message.SipParser.Builder}; each breach is a
 * {@link sip.message.ParseResult.Malformed} naming the limit and the SIP status to answer.
 * <table class="striped">
 *   <caption>Parser limits</caption>
 *   <tr><th>limit</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>{@code maxMessageSize}: start line + headers + body, in bytes (at most 4 MiB)</td><td>65,536</td>
 *       <td>413 (request) / dropped (response); the stream framer never buffers more than this,
 *       whatever Content-Length says</td></tr>
 *   <tr><td>{@code maxHeaderCount}: header fields in one message</td><td>256</td><td>400</td></tr>
 *   <tr><td>{@code maxLineLength}: one start line or (unfolded) header field, in bytes</td>
 *       <td>8,192</td><td>400 (start line 414 for a request-URI that long)</td></tr>
 *   <tr><td>Content-Length</td><td>0 .. maxMessageSize</td><td>400 if negative or not a number,
 *       413 if larger than the limit</td></tr>
 *   <tr><td>numbers: CSeq (2<sup>31</sup>-1), Max-Forwards (255), Expires and Retry-After
 *       (2<sup>32</sup>-1), status code (100..699)</td><td>RFC 3261</td><td>400</td></tr>
 * </table>
 */
module sip.message {
    exports sip.message;
}
