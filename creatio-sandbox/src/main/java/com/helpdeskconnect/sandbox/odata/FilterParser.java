package com.helpdeskconnect.sandbox.odata;

import com.helpdeskconnect.sandbox.model.Column;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.EntitySchema;
import com.helpdeskconnect.sandbox.model.Guids;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code $filter} subset Creatio clients use: {@code eq ne gt ge lt le}, {@code and or
 * not}, parentheses, {@code contains startswith endswith tolower toupper}, lookups as
 * {@code Owner/Id} or flat {@code OwnerId}, one-level navigation ({@code Status/IsFinal}).
 * Types are checked while parsing, as Microsoft's OData library does, so {@code OwnerId eq 'x'} is a
 * 400. String comparisons ignore case, as SQL Server's default collation does.
 */
final class FilterParser {
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z_])");
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?(?![0-9A-Za-z_])");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*");

    private enum Kind { OPEN, CLOSE, COMMA, STRING, GUID, DATE_TIME, NUMBER, IDENTIFIER, END }

    private record Token(Kind kind, String text, int position) {
    }

    private final SchemaCatalog schemas;
    private final EntitySchema schema;
    private final String text;
    private final List<Token> tokens;
    private int next;

    private FilterParser(SchemaCatalog schemas, EntitySchema schema, String text) {
        this.schemas = schemas;
        this.schema = schema;
        this.text = text;
        this.tokens = tokenize(text);
    }

    /** @throws ODataException 400 for syntax errors, unknown properties and type mismatches */
    static Expression parseFilter(SchemaCatalog schemas, EntitySchema schema, String filter) {
        FilterParser parser = new FilterParser(schemas, schema, filter);
        Expression expression = parser.parseOr();
        parser.expect(Kind.END);
        if (expression.type() != EdmType.BOOLEAN) {
            throw ODataException.badRequest("The $filter expression must evaluate to a single boolean value.");
        }
        return expression;
    }

    /** A property path as used in {@code $orderby}. */
    static Expression parseProperty(SchemaCatalog schemas, EntitySchema schema, String path) {
        FilterParser parser = new FilterParser(schemas, schema, path);
        Token token = parser.expect(Kind.IDENTIFIER);
        parser.expect(Kind.END);
        return parser.property(token.text());
    }

    static String unknownProperty(EntitySchema schema, String name) {
        return "Could not find a property named '" + name + "' on type 'Terrasoft.Configuration." + schema.name() + "'.";
    }

    private Expression parseOr() {
        Expression left = parseAnd();
        while (acceptKeyword("or")) {
            left = logical(left, parseAnd(), false);
        }
        return left;
    }

    private Expression parseAnd() {
        Expression left = parseUnary();
        while (acceptKeyword("and")) {
            left = logical(left, parseUnary(), true);
        }
        return left;
    }

    private Expression parseUnary() {
        if (acceptKeyword("not")) {
            Expression operand = parseUnary();
            requireBoolean(operand, "not");
            return new Node(EdmType.BOOLEAN, (row, rows) -> !(Boolean) operand.evaluate(row, rows));
        }
        Expression left = parsePrimary();
        Token token = peek();
        if (token.kind() == Kind.IDENTIFIER) {
            Comparison comparison = Comparison.of(token.text());
            if (comparison != null) {
                next++;
                return compare(left, comparison, parsePrimary());
            }
        }
        return left;
    }

    private Expression parsePrimary() {
        Token token = tokens.get(next++);
        switch (token.kind()) {
            case OPEN -> {
                Expression inner = parseOr();
                expect(Kind.CLOSE);
                return inner;
            }
            case STRING -> {
                return literal(EdmType.STRING, token.text());
            }
            case GUID -> {
                return literal(EdmType.GUID, Guids.normalize(token.text()));
            }
            case DATE_TIME -> {
                return literal(EdmType.DATE_TIME, EdmType.parseDate(token.text()));
            }
            case NUMBER -> {
                return token.text().contains(".")
                        ? literal(EdmType.DECIMAL, new BigDecimal(token.text()))
                        : literal(EdmType.INT32, Integer.parseInt(token.text()));
            }
            case IDENTIFIER -> {
                return identifier(token);
            }
            default -> throw syntaxError(token);
        }
    }

    private Expression identifier(Token token) {
        String name = token.text();
        switch (name) {
            case "true", "false" -> {
                return literal(EdmType.BOOLEAN, Boolean.parseBoolean(name));
            }
            case "null" -> {
                return literal(null, null);
            }
            default -> {
                if (peek().kind() == Kind.OPEN) {
                    return function(token);
                }
                return property(name);
            }
        }
    }

    private Expression function(Token name) {
        expect(Kind.OPEN);
        List<Expression> arguments = new ArrayList<>();
        if (peek().kind() != Kind.CLOSE) {
            arguments.add(parseOr());
            while (peek().kind() == Kind.COMMA) {
                next++;
                arguments.add(parseOr());
            }
        }
        expect(Kind.CLOSE);
        String function = name.text().toLowerCase(Locale.ROOT);
        switch (function) {
            case "contains", "startswith", "endswith" -> {
                requireStrings(function, arguments, 2);
                Expression haystack = arguments.get(0);
                Expression needle = arguments.get(1);
                return new Node(EdmType.BOOLEAN, (row, rows) -> {
                    String h = lower(haystack.evaluate(row, rows));
                    String n = lower(needle.evaluate(row, rows));
                    return switch (function) {
                        case "contains" -> h.contains(n);
                        case "startswith" -> h.startsWith(n);
                        default -> h.endsWith(n);
                    };
                });
            }
            case "tolower", "toupper" -> {
                requireStrings(function, arguments, 1);
                Expression argument = arguments.get(0);
                boolean upper = function.equals("toupper");
                return new Node(EdmType.STRING, (row, rows) -> {
                    String value = String.valueOf(argument.evaluate(row, rows));
                    return upper ? value.toUpperCase(Locale.ROOT) : value.toLowerCase(Locale.ROOT);
                });
            }
            default -> throw ODataException.badRequest("An unknown function with name '" + name.text() + "' was found.");
        }
    }

    private Expression property(String path) {
        String[] segments = path.split("/");
        if (segments.length == 1) {
            Column column = schema.column(path).orElseThrow(() ->
                    ODataException.badRequest(unknownProperty(schema, path)));
            return new Node(column.type(), (row, rows) -> row.get(column.name()));
        }
        Column lookup = schema.navigation(segments[0]).orElseThrow(() ->
                ODataException.badRequest(unknownProperty(schema, segments[0])));
        if (segments.length != 2) {
            throw ODataException.badRequest("The sandbox supports one level of navigation in '" + path + "'.");
        }
        if (segments[1].equals("Id")) {
            return new Node(EdmType.GUID, (row, rows) -> row.get(lookup.name()));
        }
        EntitySchema target = schemas.find(lookup.lookupTarget()).orElseThrow(() ->
                ODataException.badRequest(unknownProperty(schema, segments[0])));
        Column column = target.column(segments[1]).orElseThrow(() ->
                ODataException.badRequest(unknownProperty(target, segments[1])));
        return new Node(column.type(), (row, rows) -> rows.find(target.name(), (String) row.get(lookup.name()))
                .map(found -> found.get(column.name()))
                .orElse(column.type().emptyValue()));
    }

    private enum Comparison {
        EQ("Equal"), NE("NotEqual"), GT("GreaterThan"), GE("GreaterThanOrEqual"), LT("LessThan"),
        LE("LessThanOrEqual");

        final String kind;

        Comparison(String kind) {
            this.kind = kind;
        }

        static Comparison of(String keyword) {
            for (Comparison c : values()) {
                if (c.name().equalsIgnoreCase(keyword)) {
                    return c;
                }
            }
            return null;
        }
    }

    private static Expression compare(Expression left, Comparison comparison, Expression right) {
        EdmType l = left.type();
        EdmType r = right.type();
        boolean numeric = isNumeric(l) && isNumeric(r);
        if (l != null && r != null && l != r && !numeric) {
            throw ODataException.badRequest("A binary operator with incompatible types was detected. Found operand types '"
                    + l.edmName() + "' and '" + r.edmName() + "' for operator kind '" + comparison.kind + "'.");
        }
        return new Node(EdmType.BOOLEAN, (row, rows) -> {
            int order = compareValues(left.evaluate(row, rows), right.evaluate(row, rows));
            return switch (comparison) {
                case EQ -> order == 0;
                case NE -> order != 0;
                case GT -> order > 0;
                case GE -> order >= 0;
                case LT -> order < 0;
                case LE -> order <= 0;
            };
        });
    }

    /** Orders values of one type; null sorts first. Strings ignore case. */
    static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? 0 : (a == null ? -1 : 1);
        }
        if (a instanceof String sa && b instanceof String sb) {
            return String.CASE_INSENSITIVE_ORDER.compare(sa, sb);
        }
        if (a instanceof Number na && b instanceof Number nb) {
            return new BigDecimal(na.toString()).compareTo(new BigDecimal(nb.toString()));
        }
        if (a instanceof Instant ia && b instanceof Instant ib) {
            return ia.compareTo(ib);
        }
        if (a instanceof Boolean ba && b instanceof Boolean bb) {
            return Boolean.compare(ba, bb);
        }
        return Objects.equals(a, b) ? 0 : String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static Expression logical(Expression left, Expression right, boolean and) {
        requireBoolean(left, and ? "and" : "or");
        requireBoolean(right, and ? "and" : "or");
        return new Node(EdmType.BOOLEAN, (row, rows) -> and
                ? (Boolean) left.evaluate(row, rows) && (Boolean) right.evaluate(row, rows)
                : (Boolean) left.evaluate(row, rows) || (Boolean) right.evaluate(row, rows));
    }

    private static void requireBoolean(Expression operand, String operator) {
        if (operand.type() != EdmType.BOOLEAN) {
            throw ODataException.badRequest("The operand for the '" + operator + "' operator must be of type 'Edm.Boolean'.");
        }
    }

    private static void requireStrings(String function, List<Expression> arguments, int count) {
        if (arguments.size() != count) {
            throw ODataException.badRequest("No function signature for the function with name '" + function
                    + "' matches the specified arguments.");
        }
        for (Expression argument : arguments) {
            if (argument.type() != EdmType.STRING) {
                throw ODataException.badRequest("No function signature for the function with name '" + function
                        + "' matches the specified arguments.");
            }
        }
    }

    private static boolean isNumeric(EdmType type) {
        return type == EdmType.INT32 || type == EdmType.DECIMAL;
    }

    private static String lower(Object value) {
        return value == null ? "" : value.toString().toLowerCase(Locale.ROOT);
    }

    private static Expression literal(EdmType type, Object value) {
        return new Node(type, (row, rows) -> value);
    }

    private interface Evaluator {
        Object evaluate(Map<String, Object> row, Expression.RowFinder rows);
    }

    private record Node(EdmType type, Evaluator evaluator) implements Expression {
        @Override
        public Object evaluate(Map<String, Object> row, Expression.RowFinder rows) {
            return evaluator.evaluate(row, rows);
        }
    }

    private boolean acceptKeyword(String keyword) {
        Token token = peek();
        if (token.kind() == Kind.IDENTIFIER && token.text().equals(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token expect(Kind kind) {
        Token token = tokens.get(next);
        if (token.kind() != kind) {
            throw syntaxError(token);
        }
        next++;
        return token;
    }

    private ODataException syntaxError(Token token) {
        return ODataException.badRequest(token.kind() == Kind.END
                ? "Expression expected at position " + token.position() + " in '" + text + "'."
                : "Syntax error at position " + token.position() + " in '" + text + "'.");
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(new Token(c == '(' ? Kind.OPEN : c == ')' ? Kind.CLOSE : Kind.COMMA, String.valueOf(c), i));
                i++;
            } else if (c == '\'') {
                StringBuilder value = new StringBuilder();
                int start = i++;
                while (true) {
                    if (i >= text.length()) {
                        throw ODataException.badRequest("There is an unterminated string literal at position "
                                + start + " in '" + text + "'.");
                    }
                    char d = text.charAt(i++);
                    if (d == '\'') {
                        if (i < text.length() && text.charAt(i) == '\'') {
                            value.append('\'');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        value.append(d);
                    }
                }
                tokens.add(new Token(Kind.STRING, value.toString(), start));
            } else {
                Token token = match(text, i, GUID, Kind.GUID);
                token = token != null ? token : match(text, i, DATE_TIME, Kind.DATE_TIME);
                token = token != null ? token : match(text, i, NUMBER, Kind.NUMBER);
                token = token != null ? token : match(text, i, IDENTIFIER, Kind.IDENTIFIER);
                if (token == null) {
                    throw ODataException.badRequest("Syntax error: character '" + c + "' is not valid at position "
                            + i + " in '" + text + "'.");
                }
                tokens.add(token);
                i += token.text().length();
            }
        }
        tokens.add(new Token(Kind.END, "", text.length()));
        return tokens;
    }

    private static Token match(String text, int from, Pattern pattern, Kind kind) {
        Matcher matcher = pattern.matcher(text).region(from, text.length());
        return matcher.lookingAt() ? new Token(kind, matcher.group(), from) : null;
    }
}
