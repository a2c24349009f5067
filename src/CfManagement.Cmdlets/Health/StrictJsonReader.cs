using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CfManagement.Health
{
    /// <summary>
    /// A small, strict JSON reader for health profiles. The cmdlet assembly deliberately has no System.Text.Json of its
    /// own (that lives in the engine's private load context, and the host may carry another version), so profiles are
    /// read here: objects become case-insensitive Hashtables, arrays object[], numbers long or double.
    /// </summary>
    internal sealed class StrictJsonReader
    {
        private readonly string _text;
        private int _pos;

        private StrictJsonReader(string text) => _text = text;

        /// <summary>Parses the whole text; a FormatException names the line and column of the problem.</summary>
        public static object? Parse(string text)
        {
            var reader = new StrictJsonReader(text);
            if (reader._pos < text.Length && text[0] == '\uFEFF') reader._pos++;
            var value = reader.ReadValue(0);
            reader.SkipSpace();
            if (reader._pos < text.Length) throw reader.Fail("unexpected text after the end of the document");
            return value;
        }

        private object? ReadValue(int depth)
        {
            if (depth > 64) throw Fail("nesting is too deep");
            SkipSpace();
            if (_pos >= _text.Length) throw Fail("unexpected end of the document");
            var c = _text[_pos];
            switch (c)
            {
                case '{': return ReadObject(depth);
                case '[': return ReadArray(depth);
                case '"': return ReadString();
                case 't': Expect("true"); return true;
                case 'f': Expect("false"); return false;
                case 'n': Expect("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                    throw Fail($"unexpected character '{c}'");
            }
        }

        private Hashtable ReadObject(int depth)
        {
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            _pos++;
            SkipSpace();
            if (Peek() == '}') { _pos++; return table; }
            while (true)
            {
                SkipSpace();
                if (Peek() != '"') throw Fail("expected a property name in double quotes");
                var name = ReadString();
                SkipSpace();
                if (Peek() != ':') throw Fail("expected ':' after a property name");
                _pos++;
                if (table.ContainsKey(name)) throw Fail($"the property '{name}' appears twice");
                table[name] = ReadValue(depth + 1);
                SkipSpace();
                var next = Peek();
                _pos++;
                if (next == '}') return table;
                if (next != ',') { _pos--; throw Fail("expected ',' or '}'"); }
            }
        }

        private object?[] ReadArray(int depth)
        {
            var list = new List<object?>();
            _pos++;
            SkipSpace();
            if (Peek() == ']') { _pos++; return list.ToArray(); }
            while (true)
            {
                list.Add(ReadValue(depth + 1));
                SkipSpace();
                var next = Peek();
                _pos++;
                if (next == ']') return list.ToArray();
                if (next != ',') { _pos--; throw Fail("expected ',' or ']'"); }
            }
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            _pos++;
            while (true)
            {
                if (_pos >= _text.Length) throw Fail("unterminated string");
                var c = _text[_pos++];
                if (c == '"') return builder.ToString();
                if (c < ' ') { _pos--; throw Fail("control character in a string"); }
                if (c != '\\') { builder.Append(c); continue; }
                if (_pos >= _text.Length) throw Fail("unterminated escape");
                var e = _text[_pos++];
                switch (e)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                            throw Fail("bad \\u escape");
                        builder.Append((char)code);
                        _pos += 4;
                        break;
                    default: _pos--; throw Fail($"bad escape '\\{e}'");
                }
            }
        }

        private object ReadNumber()
        {
            var start = _pos;
            if (Peek() == '-') _pos++;
            while (_pos < _text.Length && "0123456789.eE+-".IndexOf(_text[_pos]) >= 0) _pos++;
            var token = _text.Substring(start, _pos - start);
            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)) return whole;
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)) return real;
            _pos = start;
            throw Fail($"'{token}' is not a number");
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) throw Fail($"unexpected text (expected {word})");
            _pos += word.Length;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t' || _text[_pos] == '\r' || _text[_pos] == '\n')) _pos++;
        }

        private FormatException Fail(string problem)
        {
            int line = 1, column = 1;
            for (var i = 0; i < _pos && i < _text.Length; i++)
            {
                if (_text[i] == '\n') { line++; column = 1; }
                else column++;
            }
            return new FormatException($"{problem} at line {line}, column {column}");
        }
    }
}
