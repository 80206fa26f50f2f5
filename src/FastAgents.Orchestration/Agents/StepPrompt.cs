using System.Text;

namespace FastAgents.Orchestration;

/// <summary>Renders a <see cref="StepRequest"/> as the text a person or a model reads.</summary>
internal static class StepPrompt
{
    /// <summary>
    /// The instruction, the input, then each part as "name: text" on its own line, separated by blank lines; parts
    /// without a name are called "part N".
    /// </summary>
    public static string Render(StepRequest request)
    {
        bool hasInstruction = !string.IsNullOrEmpty(request.Instruction);
        bool hasInput = !string.IsNullOrEmpty(request.Input);
        string[]? parts = request.Parts;
        if (parts is null or { Length: 0 })
        {
            return hasInstruction && hasInput ? $"{request.Instruction}\n\n{request.Input}" : (hasInstruction ? request.Instruction! : request.Input ?? "");
        }

        var text = new StringBuilder();
        if (hasInstruction)
        {
            text.Append(request.Instruction).Append("\n\n");
        }

        if (hasInput)
        {
            text.Append(request.Input).Append("\n\n");
        }

        string[]? names = request.PartNames;
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                text.Append('\n');
            }

            string? name = names is not null && i < names.Length ? names[i] : null;
            if (string.IsNullOrEmpty(name))
            {
                text.Append("part ").Append(i + 1);
            }
            else
            {
                text.Append(name);
            }

            text.Append(": ").Append(parts[i]);
        }

        return text.ToString();
    }
}
