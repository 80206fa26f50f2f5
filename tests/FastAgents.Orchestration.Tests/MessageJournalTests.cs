using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class MessageJournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fastagents-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Record_BeyondCapacity_DropsTheOldest()
    {
        using var journal = new MessageJournal(new JournalOptions { Capacity = 4 });
        for (int i = 0; i < 10; i++)
        {
            journal.Record("r", AgentId.None, new AgentId(1), MessageKind.Tell, null, $"m{i}");
        }

        Assert.Equal(4, journal.Count);
        Assert.Equal(6, journal.Dropped);
        Assert.Equal(10, journal.LastSequence);
        Assert.Equal([7L, 8L, 9L, 10L], journal.Snapshot().Select(r => r.Sequence));
    }

    [Fact]
    public void Query_ByRunAgentKindTimeAndLimit()
    {
        var clock = new ManualTimeProvider();
        using var journal = new MessageJournal(new JournalOptions { Time = clock });
        var a = new AgentId(1);
        var b = new AgentId(2);
        DateTimeOffset t0 = clock.GetUtcNow();
        journal.Record("r1", a, b, MessageKind.Ask, "Q", "1");
        clock.Advance(TimeSpan.FromSeconds(1));
        journal.Record("r1", b, a, MessageKind.Reply, "A", "2");
        clock.Advance(TimeSpan.FromSeconds(1));
        journal.Record("r2", a, new AgentId(3), MessageKind.Tell, "T", "3");
        clock.Advance(TimeSpan.FromSeconds(1));
        journal.Record(null, new AgentId(3), b, MessageKind.Tell, "T", "4");

        Assert.Equal(["1", "2"], journal.ForRun("r1").Select(r => r.Text));
        Assert.Equal(["1", "2", "4"], journal.ForAgent(b).Select(r => r.Text));
        Assert.Equal(["2", "3"], journal.Between(t0.AddSeconds(1), t0.AddSeconds(3)).Select(r => r.Text));
        Assert.Equal(["3", "4"], journal.Query(new JournalQuery { Kind = MessageKind.Tell }).Select(r => r.Text));
        Assert.Equal(["1"], journal.Query(new JournalQuery { Agent = a, Limit = 1 }).Select(r => r.Text));
        Assert.Equal(["3"], journal.Query(new JournalQuery { Agent = a, RunId = "r2" }).Select(r => r.Text));
    }

    [Fact]
    public void File_RoundTripsEveryField()
    {
        using (var journal = new MessageJournal(new JournalOptions { File = new JournalFileOptions(_directory) }))
        {
            journal.Record("run", new AgentId(1), new AgentId(ulong.MaxValue), MessageKind.Reply, "StepReply", "text \"quoted\"\nline", new byte[] { 1, 2, 3 }, "oops");
            journal.Record(null, AgentId.None, new AgentId(5), MessageKind.Tell, null, null);
        }

        string file = Assert.Single(JournalFile.List(_directory));
        JournalRecord[] back = [.. JournalFile.Read(file)];

        Assert.Equal(2, back.Length);
        JournalRecord first = back[0];
        Assert.Equal((1L, "run", new AgentId(1), new AgentId(ulong.MaxValue), MessageKind.Reply, "StepReply", "text \"quoted\"\nline", "oops"),
            (first.Sequence, first.RunId, first.From, first.To, first.Kind, first.PayloadType, first.Text, first.Error));
        Assert.Equal([1, 2, 3], first.Payload.ToArray());
        Assert.Equal((null, null, null, 0), (back[1].RunId, back[1].Text, back[1].PayloadType, back[1].Payload.Length));
    }

    [Fact]
    public void File_Rotation_KeepsTheNewestFilesEachWithinTheSizeLimit()
    {
        var options = new JournalFileOptions(_directory) { MaxFileBytes = 400, MaxFiles = 3 };
        using (var journal = new MessageJournal(new JournalOptions { File = options }))
        {
            for (int i = 1; i <= 30; i++)
            {
                journal.Record("r", AgentId.None, new AgentId(9), MessageKind.Tell, "T", new string('x', 40));
            }

            Assert.Equal(30, journal.Count);
            Assert.Equal(0, journal.FileErrors);
        }

        IReadOnlyList<string> files = JournalFile.List(_directory);
        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 400));
        long[] sequences = [.. files.SelectMany(JournalFile.Read).Select(r => r.Sequence)];
        Assert.Equal(30, sequences[^1]);
        Assert.Equal(Enumerable.Range((int)sequences[0], sequences.Length).Select(s => (long)s), sequences);
        Assert.True(sequences[0] > 1, "The oldest files should have been deleted.");
    }

    [Fact]
    public void File_NewJournal_AppendsToANewFileAndLeavesOldOnesAlone()
    {
        var options = new JournalFileOptions(_directory) { MaxFiles = 0 };
        string firstFile;
        using (var journal = new MessageJournal(new JournalOptions { File = options }))
        {
            journal.Record("a", AgentId.None, new AgentId(1), MessageKind.Tell, null, "one");
            firstFile = journal.CurrentFile!;
        }

        byte[] before = File.ReadAllBytes(firstFile);
        using (var journal = new MessageJournal(new JournalOptions { File = options }))
        {
            journal.Record("b", AgentId.None, new AgentId(1), MessageKind.Tell, null, "two");
            Assert.NotEqual(firstFile, journal.CurrentFile);
        }

        Assert.Equal(before, File.ReadAllBytes(firstFile));
        IReadOnlyList<string> files = JournalFile.List(_directory);
        Assert.Equal(2, files.Count);
        Assert.Equal(["one", "two"], files.SelectMany(JournalFile.Read).Select(r => r.Text));
    }

    [Fact]
    public void File_RecordLargerThanAFile_GetsAFileOfItsOwn()
    {
        var options = new JournalFileOptions(_directory) { MaxFileBytes = 200, MaxFiles = 0 };
        using (var journal = new MessageJournal(new JournalOptions { File = options }))
        {
            journal.Record("r", AgentId.None, new AgentId(1), MessageKind.Tell, null, "small");
            journal.Record("r", AgentId.None, new AgentId(1), MessageKind.Tell, null, new string('y', 500));
            journal.Record("r", AgentId.None, new AgentId(1), MessageKind.Tell, null, "small again");
        }

        Assert.Equal([1, 1, 1], JournalFile.List(_directory).Select(f => JournalFile.Read(f).Count()));
    }

    [Fact]
    public async Task RecordDeadLetter_TakesSenderTargetKindAndPayloadFromTheEnvelope()
    {
        var letters = new List<DeadLetter>();
        await using var h = new Harness(onDeadLetter: letter =>
        {
            lock (letters)
            {
                letters.Add(letter);
            }
        });
        using var journal = new MessageJournal();

        h.Runtime.Tell(Harness.Missing, new Ping(7));
        DeadLetter letter;
        lock (letters)
        {
            letter = Assert.Single(letters);
        }

        JournalRecord record = journal.RecordDeadLetter("r", letter);

        Assert.Equal((AgentId.None, Harness.Missing, MessageKind.Tell, "Ping", "NoSuchAgent"),
            (record.From, record.To, record.Kind, record.PayloadType, record.Error));
        Assert.Equal([7, 0, 0, 0], record.Payload.ToArray());
    }

    [Fact]
    public void RecordEnvelope_TruncatedFrame_Throws()
    {
        using var journal = new MessageJournal();

        Assert.Throws<ArgumentException>(() => journal.RecordEnvelope(null, new byte[10]));
        Assert.Equal(0, journal.Count);
    }
}
