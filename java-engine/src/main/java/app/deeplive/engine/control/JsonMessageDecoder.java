package app.deeplive.engine.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.io.IOException;
import java.util.List;

/**
 * One length-delimited frame → one JSON object with a string {@code "type"} and, if present, a valid {@code "id"}.
 * Invalid UTF-8 or JSON, trailing bytes, duplicate keys, deep nesting, a non-object or a bad id become a
 * {@code bad_request} for the error replier; the connection stays usable (the frame boundary is intact).
 */
final class JsonMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(100).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_TYPE_LENGTH = 64;
    private static final int MAX_ID_LENGTH = 128;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        JsonNode tree;
        try (JsonParser parser = MAPPER.createParser((java.io.InputStream) new ByteBufInputStream(frame))) {
            tree = MAPPER.readTree(parser);
            if (tree != null && parser.nextToken() != null) {
                throw Fields.bad("message must be a single JSON object");
            }
        } catch (JsonProcessingException e) {
            throw Fields.bad("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw Fields.bad("invalid JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw Fields.bad("message must be a JSON object");
        }
        ObjectNode message = (ObjectNode) tree;
        JsonNode id = message.get("id");
        if (id != null && !id.isNull() && !(id.isIntegralNumber() && id.canConvertToLong())
                && !(id.isTextual() && id.textValue().length() <= MAX_ID_LENGTH)) {
            throw Fields.bad("id must be an integer or a string of at most " + MAX_ID_LENGTH + " characters");
        }
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual() || type.textValue().isEmpty() || type.textValue().length() > MAX_TYPE_LENGTH) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "type must be a non-empty string", id, false);
        }
        out.add(message);
    }
}
