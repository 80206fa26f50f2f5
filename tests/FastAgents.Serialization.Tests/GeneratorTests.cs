using System.Collections.Immutable;
using FastAgents.Serialization.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FastAgents.Serialization.Tests;

/// <summary>Drives the generator over in-memory compilations: diagnostics, compiling output, incrementality.</summary>
public sealed class GeneratorTests
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Preview);

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.GetFiles(runtimeDirectory, "*.dll")
            .Where(IsManagedAssembly)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(FastSerializer).Assembly.Location))
            .ToArray();
    });

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorTestAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, s_parseOptions, path: $"Source{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    private static (ImmutableArray<Diagnostic> GeneratorDiagnostics, Compilation Output, GeneratorDriverRunResult Result) Run(params string[] sources)
    {
        CSharpCompilation compilation = Compile(sources);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new FastMessageGenerator().AsSourceGenerator()],
            parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (diagnostics, output, driver.GetRunResult());
    }

    private static string[] Ids(ImmutableArray<Diagnostic> diagnostics) => diagnostics.Select(d => d.Id).Distinct().Order().ToArray();

    private static Diagnostic[] Errors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();

    private const string ValidSource = """
        using System.Collections.Generic;
        using FastAgents.Serialization;
        namespace Sample;

        public enum Kind : byte { A, B }

        [FastMessage]
        public partial class Order
        {
            public int Id { get; set; }
            public string? Customer { get; set; }
            public Kind Kind { get; set; }
            public List<Line>? Lines { get; set; }
            public Dictionary<string, int>? Counts { get; set; }
            public (int, string?) Tag { get; set; }
            public int? Maybe { get; set; }
            public IPayment? Payment { get; set; }
            public int @class { get; set; }
        }

        [FastMessage]
        public partial record Line(string? Sku, int Quantity);

        [FastMessage]
        public partial struct Point { public int X; public byte @byte; }

        [FastMessage(VersionTolerant = true)]
        public partial class Versioned
        {
            [FastOrder(0)] public int A { get; set; }
            [FastOrder(3)] public string? D { get; set; }
        }

        [FastUnion(0, typeof(Card))]
        [FastUnion(1000, typeof(Cash))]
        public interface IPayment { }

        [FastMessage] public partial class Card : IPayment { public string? Number { get; set; } }
        [FastMessage] public partial class Cash : IPayment { public decimal Amount { get; set; } }

        public partial class Container
        {
            [FastMessage]
            internal partial class Nested { public int Value { get; set; } }
        }
        """;

    [Fact]
    public void Generate_ValidTypes_NoDiagnosticsAndOutputCompiles()
    {
        (ImmutableArray<Diagnostic> diagnostics, Compilation output, GeneratorDriverRunResult result) = Run(ValidSource);

        Assert.Empty(diagnostics);
        Assert.Empty(Errors(output));
        Assert.Equal(8, result.GeneratedTrees.Length);
    }

    [Fact]
    public void Generate_NonPartialType_ReportsFaser001()
    {
        (ImmutableArray<Diagnostic> diagnostics, Compilation output, _) = Run("""
            using FastAgents.Serialization;
            [FastMessage] public class NotPartial { public int X { get; set; } }
            public class Outer { [FastMessage] public partial class Inner { } }
            """);
        Assert.Equal(["FASER001"], Ids(diagnostics));
        Assert.Equal(2, diagnostics.Length);
        Assert.Empty(Errors(output));
    }

    [Fact]
    public void Generate_UnsupportedMemberType_ReportsFaser002WithLocation()
    {
        (ImmutableArray<Diagnostic> diagnostics, _, _) = Run("""
            using FastAgents.Serialization;
            [FastMessage] public partial class Bad
            {
                public object? Anything { get; set; }
                public System.Action? Callback { get; set; }
                public System.IO.Stream? Stream { get; set; }
                public int[,]? Grid { get; set; }
                public System.Collections.Generic.List<object>? Items { get; set; }
                [FastIgnore] public object? Ignored { get; set; }
                [FastCustomFormatter] public System.Uri? Custom { get; set; }
            }
            """);
        Assert.Equal(["FASER002"], Ids(diagnostics));
        Assert.Equal(5, diagnostics.Length);
        Assert.Contains(diagnostics, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("Anything", StringComparison.Ordinal));
        Assert.All(diagnostics, d => Assert.Equal("Source0.cs", d.Location.GetLineSpan().Path));
    }

    [Fact]
    public void Generate_DuplicateUnionTag_ReportsFaser003()
    {
        (ImmutableArray<Diagnostic> diagnostics, _, _) = Run("""
            using FastAgents.Serialization;
            [FastUnion(1, typeof(A))]
            [FastUnion(1, typeof(B))]
            public interface IU { }
            [FastMessage] public partial class A : IU { }
            [FastMessage] public partial class B : IU { }
            """);
        Assert.Equal(["FASER003"], Ids(diagnostics));
    }

    [Fact]
    public void Generate_OtherInvalidDeclarations_ReportTheirIds()
    {
        Assert.Equal(["FASER004"], Ids(Run("""
            using FastAgents.Serialization;
            [FastMessage(VersionTolerant = true)] public partial class V { public int A { get; set; } }
            """).GeneratorDiagnostics));
        Assert.Equal(["FASER005"], Ids(Run("""
            using FastAgents.Serialization;
            [FastMessage] public partial class C { public C(string unrelated) { } public int A { get; set; } }
            """).GeneratorDiagnostics));
        Assert.Equal(["FASER006"], Ids(Run("""
            using FastAgents.Serialization;
            [FastMessage] public partial class G<T> { public int A { get; set; } }
            """).GeneratorDiagnostics));
        Assert.Equal(["FASER008"], Ids(Run("""
            using FastAgents.Serialization;
            [FastUnion(0, typeof(NotACase))] public interface IU { }
            [FastMessage] public partial class NotACase { }
            """).GeneratorDiagnostics));
        Assert.Equal(["FASER009"], Ids(Run("""
            using FastAgents.Serialization;
            public partial class Host { [FastMessage] private partial class Hidden { } }
            """).GeneratorDiagnostics));
        Assert.Equal(["FASER010"], Ids(Run("""
            using FastAgents.Serialization;
            [FastUnion(0, typeof(Derived))] public class Concrete { }
            public class Derived : Concrete { }
            """).GeneratorDiagnostics));
    }

    [Fact]
    public void Generate_UnrelatedEdit_ModelStepsCached()
    {
        CSharpCompilation compilation = Compile(ValidSource, "namespace Other; public class Unrelated { public int X; }");
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new FastMessageGenerator().AsSourceGenerator()],
            parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            unrelated,
            CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { public int X; public string Y = \"changed\"; }", s_parseOptions, path: unrelated.FilePath));
        driver = driver.RunGenerators(edited);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string step in new[] { FastMessageGenerator.MessageModelStep, FastMessageGenerator.UnionModelStep })
        {
            ImmutableArray<IncrementalGeneratorRunStep> runs = result.TrackedSteps[step];
            Assert.NotEmpty(runs);
            Assert.All(runs.SelectMany(r => r.Outputs), output =>
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {output.Reason}"));
    }

    [Fact]
    public void Generate_EditToMessage_ModelStepModified()
    {
        CSharpCompilation compilation = Compile(ValidSource);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new FastMessageGenerator().AsSourceGenerator()],
            parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            tree,
            CSharpSyntaxTree.ParseText(ValidSource.Replace("public int Id { get; set; }", "public long Id { get; set; }", StringComparison.Ordinal), s_parseOptions, path: tree.FilePath));
        driver = driver.RunGenerators(edited);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Contains(
            result.TrackedSteps[FastMessageGenerator.MessageModelStep].SelectMany(r => r.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
    }
}
