using System.Globalization;

namespace FastAgents.Samples;

/// <summary>
/// The function behind the samples' <c>calculate</c> tool: evaluates an arithmetic expression of decimal numbers with
/// <c>+ - * /</c>, unary minus and parentheses, with the usual precedence.
/// </summary>
public static class Calculator
{
    /// <summary>The value of <paramref name="expression"/>, formatted invariantly.</summary>
    /// <exception cref="FormatException">The expression is malformed.</exception>
    /// <exception cref="DivideByZeroException">It divides by zero.</exception>
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
            if (Next('-', '-') is not null)
            {
                return -Factor();
            }

            if (Next('(', '(') is not null)
            {
                decimal inner = Sum();
                if (Next(')', ')') is null)
                {
                    throw new FormatException($"A ')' is missing in '{_text}'.");
                }

                return inner;
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
