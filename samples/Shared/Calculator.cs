using System.Globalization;

namespace FastAgents.Samples;

/// <summary>
/// The function behind the samples' <c>calculate</c> tool: evaluates an arithmetic expression of decimal numbers with
/// <c>+ - * /</c>, unary minus and parentheses, with the usual precedence.
/// </summary>
public static class Calculator
{
    private const int MaxDepth = 64;

    /// <summary>The value of <paramref name="expression"/>, formatted invariantly.</summary>
    /// <exception cref="FormatException">The expression is malformed, or nests parentheses and signs deeper than 64.</exception>
    /// <exception cref="DivideByZeroException">It divides by zero.</exception>
    /// <exception cref="OverflowException">A value is outside the range of <see cref="decimal"/>.</exception>
    public static string Evaluate(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parser = new Parser(expression);
        decimal value = parser.Sum();
        parser.SkipSpaces();
        if (!parser.AtEnd)
        {
            throw new FormatException($"Unexpected '{expression[parser.Position]}' at {parser.Position} in '{expression}'.");
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    private ref struct Parser(string text)
    {
        private readonly string _text = text;

        private int _depth;

        public int Position { get; private set; }

        public readonly bool AtEnd => Position >= _text.Length;

        public decimal Sum()
        {
            decimal value = Product();
            while (Next('+', '-') is char op)
            {
                decimal right = Product();
                value = op == '+' ? value + right : value - right;
            }

            return value;
        }

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(_text[Position]))
            {
                Position++;
            }
        }

        private decimal Product()
        {
            decimal value = Factor();
            while (Next('*', '/') is char op)
            {
                decimal right = Factor();
                value = op == '*' ? value * right : value / right;
            }

            return value;
        }

        private decimal Factor()
        {
            if (Next('-', '(') is char open)
            {
                // Signs and parentheses recurse: bounded, so no input can exhaust the stack.
                if (++_depth > MaxDepth)
                {
                    throw new FormatException($"'{_text}' nests deeper than {MaxDepth}.");
                }

                decimal value = open == '-' ? -Factor() : Sum();
                if (open == '(' && Next(')', ')') is null)
                {
                    throw new FormatException($"A ')' is missing in '{_text}'.");
                }

                _depth--;
                return value;
            }

            SkipSpaces();
            int start = Position;
            while (!AtEnd && (char.IsAsciiDigit(_text[Position]) || _text[Position] == '.'))
            {
                Position++;
            }

            if (!decimal.TryParse(_text.AsSpan(start, Position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            {
                throw new FormatException($"A number is expected at {start} in '{_text}'.");
            }

            return number;
        }

        /// <summary>Takes the next non-space character when it is <paramref name="a"/> or <paramref name="b"/>.</summary>
        private char? Next(char a, char b)
        {
            SkipSpaces();
            if (!AtEnd && (_text[Position] == a || _text[Position] == b))
            {
                return _text[Position++];
            }

            return null;
        }
    }
}
