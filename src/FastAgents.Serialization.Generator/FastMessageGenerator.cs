using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FastAgents.Serialization.Generator;

/// <summary>
/// Emits a formatter for every [FastMessage] type and every [FastUnion] type, and registers it when the
/// assembly loads.
/// </summary>
/// <remarks>
/// Design: each type becomes an equatable model (plain strings and arrays, no symbols), so an edit elsewhere
/// yields an equal model and the pipeline reuses the previous output. Tracking names let tests check that.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class FastMessageGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the step that builds message models.</summary>
    public const string MessageModelStep = "FastMessageModel";

    /// <summary>Tracking name of the step that builds union models.</summary>
    public const string UnionModelStep = "FastUnionModel";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<TypeModel> messages = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ModelBuilder.FastMessageAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ModelBuilder.BuildMessage(ctx, ct))
            .WithTrackingName(MessageModelStep);

        IncrementalValuesProvider<UnionModel> unions = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ModelBuilder.FastUnionAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ModelBuilder.BuildUnion(ctx, ct))
            .WithTrackingName(UnionModelStep);

        context.RegisterSourceOutput(messages, static (spc, model) =>
        {
            foreach (DiagnosticInfo diagnostic in model.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (model.CanEmit)
            {
                spc.AddSource(model.HintName, SourceEmitter.EmitMessage(model));
            }
        });

        context.RegisterSourceOutput(unions, static (spc, model) =>
        {
            foreach (DiagnosticInfo diagnostic in model.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (model.CanEmit)
            {
                spc.AddSource(model.HintName, SourceEmitter.EmitUnion(model));
            }
        });
    }
}
