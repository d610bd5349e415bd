using System.Collections.Immutable;
using System.Globalization;

namespace Modernizer.Lake.Engines.Databricks;

/// <summary>A named field of a STRUCT (or the element/key/value slot of ARRAY and MAP).</summary>
internal sealed record DatabricksField(string Name, DatabricksType Type);

/// <summary>A column type as the manifest describes it: <c>type_name</c> is the base name only,
/// <c>type_text</c> the full Spark SQL spelling (<c>ARRAY&lt;STRUCT&lt;a: INT, b: DECIMAL(38,2)&gt;&gt;</c>),
/// parsed here so nested values convert by their declared element types. <see cref="Name"/> uses
/// the manifest's <c>type_name</c> vocabulary (BYTE, SHORT, INT, LONG, ..., ARRAY, MAP, STRUCT);
/// TIMESTAMP_NTZ is kept apart from TIMESTAMP.</summary>
internal sealed record DatabricksType(string Name, int Precision, int Scale, ImmutableArray<DatabricksField> Children)
{
    public static readonly DatabricksType String = Of("STRING");

    public bool IsComplex => Name is "ARRAY" or "MAP" or "STRUCT";

    public static DatabricksType Of(string name, int precision = 0, int scale = 0) => new(name, precision, scale, []);

    /// <summary>From the manifest column: <c>type_text</c> when it parses, else <c>type_name</c>
    /// with <c>type_precision</c>/<c>type_scale</c>; an unknown name reads as text.</summary>
    public static DatabricksType FromManifest(string? typeName, string? typeText, int? precision, int? scale)
    {
        if (!string.IsNullOrWhiteSpace(typeText) && TryParse(typeText, out var parsed))
        {
            return parsed;
        }

        var name = Canonical(typeName ?? "STRING");
        return name == "DECIMAL" ? Of(name, precision ?? 10, scale ?? 0) : Of(name);
    }

    public static bool TryParse(string text, out DatabricksType type)
    {
        var parser = new TypeTextParser(text);
        try
        {
            type = parser.ParseType();
            parser.ExpectEnd();
            return true;
        }
        catch (FormatException)
        {
            type = String;
            return false;
        }
    }

    private static string Canonical(string name) => name.ToUpperInvariant() switch
    {
        "TINYINT" or "BYTE" => "BYTE",
        "SMALLINT" or "SHORT" => "SHORT",
        "INT" or "INTEGER" => "INT",
        "BIGINT" or "LONG" => "LONG",
        "FLOAT" or "REAL" => "FLOAT",
        "DEC" or "NUMERIC" or "DECIMAL" => "DECIMAL",
        "STRING" or "VARCHAR" or "CHAR" => "STRING",
        "TIMESTAMP" or "TIMESTAMP_LTZ" => "TIMESTAMP",
        "VOID" or "NULL" => "NULL",
        var other => other,
    };

    /// <summary>A small recursive-descent reader of Spark SQL type text; nesting is bounded.</summary>
    private sealed class TypeTextParser(string text)
    {
        private const int MaxDepth = 64;
        private int _at;

        public DatabricksType ParseType(int depth = 0)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException("type nesting too deep");
            }

            var name = Canonical(Word());
            switch (name)
            {
                case "ARRAY":
                    Expect('<');
                    var element = ParseType(depth + 1);
                    Expect('>');
                    return new DatabricksType(name, 0, 0, [new DatabricksField("element", element)]);
                case "MAP":
                    Expect('<');
                    var key = ParseType(depth + 1);
                    Expect(',');
                    var value = ParseType(depth + 1);
                    Expect('>');
                    return new DatabricksType(name, 0, 0, [new DatabricksField("key", key), new DatabricksField("value", value)]);
                case "STRUCT":
                    Expect('<');
                    var fields = ImmutableArray.CreateBuilder<DatabricksField>();
                    while (!TryConsume('>'))
                    {
                        if (fields.Count > 0)
                        {
                            Expect(',');
                        }

                        var field = FieldName();
                        TryConsume(':');
                        fields.Add(new DatabricksField(field, ParseType(depth + 1)));
                        SkipFieldModifiers();
                    }

                    return new DatabricksType(name, 0, 0, fields.ToImmutable());
                case "DECIMAL":
                    if (TryConsume('('))
                    {
                        var precision = Number();
                        var scale = TryConsume(',') ? Number() : 0;
                        Expect(')');
                        return Of(name, precision, scale);
                    }

                    return Of(name, 10, 0);
                case "STRING":
                    if (TryConsume('('))
                    {
                        Number();
                        Expect(')');
                    }

                    return Of(name);
                case "INTERVAL":
                    // INTERVAL DAY TO SECOND, INTERVAL YEAR TO MONTH, INTERVAL HOUR ...: read as text.
                    while (true)
                    {
                        SkipSpace();
                        if (Peek() is not char c || !char.IsLetter(c))
                        {
                            break;
                        }

                        Word();
                    }

                    return Of(name);
                default:
                    return Of(name);
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_at != text.Length)
            {
                throw new FormatException("trailing text");
            }
        }

        private void SkipFieldModifiers()
        {
            while (true)
            {
                SkipSpace();
                if (Peek() is not char c || !char.IsLetter(c))
                {
                    return;
                }

                var word = Word().ToUpperInvariant();
                if (word == "COMMENT")
                {
                    SkipComment();
                }
                else if (word is not ("NOT" or "NULL" or "COLLATE") && !word.StartsWith("UTF8", StringComparison.Ordinal) && !word.StartsWith("UNICODE", StringComparison.Ordinal))
                {
                    throw new FormatException($"unexpected '{word}'");
                }
            }
        }

        /// <summary>A quoted comment: <c>\'</c> and <c>''</c> escape a quote inside it.</summary>
        private void SkipComment()
        {
            Expect('\'');
            while (_at < text.Length)
            {
                if (text[_at] == '\\')
                {
                    _at += 2;
                }
                else if (text[_at] == '\'' && _at + 1 < text.Length && text[_at + 1] == '\'')
                {
                    _at += 2;
                }
                else if (text[_at] == '\'')
                {
                    _at++;
                    return;
                }
                else
                {
                    _at++;
                }
            }

            throw new FormatException("unterminated comment");
        }

        private string FieldName()
        {
            SkipSpace();
            if (TryConsume('`'))
            {
                var start = _at;
                var name = new System.Text.StringBuilder();
                while (_at < text.Length)
                {
                    if (text[_at] == '`' && _at + 1 < text.Length && text[_at + 1] == '`')
                    {
                        name.Append('`');
                        _at += 2;
                    }
                    else if (text[_at] == '`')
                    {
                        _at++;
                        return name.ToString();
                    }
                    else
                    {
                        name.Append(text[_at++]);
                    }
                }

                throw new FormatException($"unterminated quoted name at {start}");
            }

            var begin = _at;
            while (_at < text.Length && text[_at] is not (':' or ' ' or '<' or '>' or ','))
            {
                _at++;
            }

            return _at > begin ? text[begin.._at] : throw new FormatException("field name expected");
        }

        private string Word()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_'))
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw new FormatException($"type name expected at {start}");
        }

        private int Number()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && char.IsAsciiDigit(text[_at]))
            {
                _at++;
            }

            return _at > start && int.TryParse(text.AsSpan(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new FormatException($"number expected at {start}");
        }

        private char? Peek() => _at < text.Length ? text[_at] : null;

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private bool TryConsume(char c)
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw new FormatException($"'{c}' expected at {_at}");
            }
        }
    }
}
