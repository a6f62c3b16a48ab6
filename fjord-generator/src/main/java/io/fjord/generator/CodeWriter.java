package io.fjord.generator;

/** Accumulates Java source with consistent indentation. */
final class CodeWriter {
    private final StringBuilder sb = new StringBuilder();
    private int indent;

    CodeWriter line(String text) {
        if (text.startsWith("}")) {
            indent--;
        }
        if (!text.isEmpty()) {
            sb.append("    ".repeat(Math.max(indent, 0)));
        }
        sb.append(text).append('\n');
        if (text.endsWith("{")) {
            indent++;
        }
        return this;
    }

    CodeWriter line(String format, Object... args) {
        return line(String.format(format, args));
    }

    CodeWriter blank() {
        sb.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
