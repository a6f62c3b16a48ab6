package io.fjord.generator;

/** A closed range of versions as specs write them: "3+", "1-5", "7", or "none" (empty). */
record Versions(short lowest, short highest) {
    static final Versions NONE = new Versions((short) 1, (short) 0);
    static final Versions ALL = new Versions((short) 0, Short.MAX_VALUE);

    static Versions parse(String text, Versions ifAbsent) {
        if (text == null) {
            return ifAbsent;
        }
        String s = text.trim();
        if (s.equals("none")) {
            return NONE;
        }
        if (s.endsWith("+")) {
            return new Versions(Short.parseShort(s.substring(0, s.length() - 1)), Short.MAX_VALUE);
        }
        int dash = s.indexOf('-');
        if (dash > 0) {
            return new Versions(Short.parseShort(s.substring(0, dash)), Short.parseShort(s.substring(dash + 1)));
        }
        short v = Short.parseShort(s);
        return new Versions(v, v);
    }

    boolean isEmpty() {
        return lowest > highest;
    }

    boolean contains(int version) {
        return version >= lowest && version <= highest;
    }

    boolean containsAll(Versions other) {
        return other.isEmpty() || (!isEmpty() && lowest <= other.lowest && highest >= other.highest);
    }

    Versions intersect(Versions other) {
        short lo = (short) Math.max(lowest, other.lowest);
        short hi = (short) Math.min(highest, other.highest);
        return lo > hi ? NONE : new Versions(lo, hi);
    }

    /**
     * A Java boolean expression over {@code _version} that is true exactly for the versions of
     * {@code context} inside this range; constant where the context decides it already.
     */
    String condition(Versions context) {
        Versions in = intersect(context);
        if (in.isEmpty()) {
            return "false";
        }
        if (in.equals(context)) {
            return "true";
        }
        boolean needLow = in.lowest > context.lowest;
        boolean needHigh = in.highest < context.highest;
        if (needLow && needHigh) {
            return in.lowest == in.highest ? "_version == " + in.lowest
                    : "(_version >= " + in.lowest + " && _version <= " + in.highest + ")";
        }
        return needLow ? "_version >= " + in.lowest : "_version <= " + in.highest;
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (highest == Short.MAX_VALUE) {
            return lowest + "+";
        }
        return lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}
