using System.Text;

namespace FastAgents.Serialization.Tests;

/// <summary>The UTF-8 form matches .NET's encoder byte for byte, around every vector boundary.</summary>
public sealed class StringFormTests
{
    [Fact]
    public void WriteString_EveryLengthAndNonAsciiPosition_MatchesUtf8Encoder()
    {
        string[] specials = ["é", "あ", "😀", "\uD800", "\u007F", "\u0080"];
        for (int length = 1; length <= 40; length++)
        {
            for (int position = -1; position < length; position++)
            {
                foreach (string special in specials)
                {
                    var builder = new StringBuilder();
                    for (int i = 0; i < length; i++)
                    {
                        builder.Append(i == position ? special : ((char)('a' + (i % 26))).ToString());
                    }

                    string text = builder.ToString();
                    byte[] utf8 = Encoding.UTF8.GetBytes(text);
                    byte[] expected = [.. BitConverter.GetBytes(~utf8.Length), .. BitConverter.GetBytes(text.Length), .. utf8];

                    byte[] actual = FastSerializer.Serialize(text);

                    Assert.Equal(Hex.Of(expected), Hex.Of(actual));
                    Assert.Equal(Encoding.UTF8.GetString(utf8), FastSerializer.Deserialize<string>(actual));
                }
            }
        }
    }
}
