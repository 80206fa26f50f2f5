using System.Buffers.Binary;
using System.Runtime.InteropServices;
using FastAgents.Router;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;
using FastAgents.Transport.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace FastAgents.Transport.Tests;

/// <summary>
/// One misbehaving raw connection per test, against a live router: it must get an Error frame with the specific
/// code, be closed, and be counted, while a healthy pair of runtimes exchanges tells before, during and after it
/// without losing one.
/// </summary>
public sealed class ProtocolErrorTests(ITestOutputHelper output)
{
    private const string Token = "s3cret-token";

    [Fact]
    public Task Hello_WrongMagic_ClosedWithBadMagic() =>
        ExpectErrorAsync(ErrorCode.BadMagic, (raw, _) =>
        {
            byte[] hello = WireFrames.Hello();
            BinaryPrimitives.WriteUInt32LittleEndian(hello.AsSpan(8), 0x4E4F_5045); // "EPON"
            raw.Send(hello);
            return Task.CompletedTask;
        });

    [Theory]
    [InlineData("prefix")]
    [InlineData("hello-field")]
    public Task Hello_WrongProtocolVersion_ClosedWithUnsupportedVersion(string where) =>
        ExpectErrorAsync(ErrorCode.UnsupportedVersion, (raw, _) =>
        {
            byte[] hello = WireFrames.Hello();
            if (where == "prefix")
            {
                hello[4] = Frames.Version + 1;
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(12), Frames.Version + 1);
            }

            raw.Send(hello);
            return Task.CompletedTask;
        });

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("")]
    [InlineData("s3cret-token-and-more")]
    public Task Hello_BadToken_ClosedWithUnauthorized(string token) =>
        ExpectErrorAsync(
            ErrorCode.Unauthorized,
            (raw, _) =>
            {
                raw.Send(WireFrames.Hello(token));
                return Task.CompletedTask;
            },
            new RouterOptions { Token = Token });

    [Fact]
    public Task Hello_RightToken_Welcomed()
    {
        // The control for the bad-token cases: the same router lets the right token in.
        return WithRouterAsync(new RouterOptions { Token = Token }, async cluster =>
        {
            using RawConnection raw = await RawConnection.ConnectAsync(cluster.SocketPath);
            WelcomeFrame welcome = await raw.HandshakeAsync(Token);
            Assert.Equal(cluster.RouterOptions.MaxFrame, welcome.MaxFrame);
            Assert.Equal(0, TotalProtocolErrors(cluster.Router));
        });
    }

    [Theory]
    [InlineData("hello", 20)]
    [InlineData("hello", 5)]
    [InlineData("envelope", 30)]
    [InlineData("envelope", 3)]
    public Task Frame_TruncatedThenClosed_ClosedWithMalformedFrame(string frame, int keep) =>
        ExpectErrorAsync(ErrorCode.MalformedFrame, async (raw, pair) =>
        {
            if (frame == "hello")
            {
                raw.Send(WireFrames.Hello().AsSpan(0, keep));
            }
            else
            {
                await raw.HandshakeAsync();
                raw.Send(WireFrames.Numbered(pair.Target, -1).AsSpan(0, keep));
            }

            raw.ShutdownSend();
        });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Frame_LongerThanMaxFrame_ClosedWithFrameTooLarge(bool afterHello) =>
        ExpectErrorAsync(ErrorCode.FrameTooLarge, async (raw, pair) =>
        {
            if (afterHello)
            {
                await raw.HandshakeAsync();
            }

            // Only the prefix and a little of the body: the router must judge the frame by its prefix, not wait for it.
            byte[] envelope = WireFrames.Numbered(pair.Target, -1);
            BinaryPrimitives.WriteUInt32LittleEndian(envelope, (uint)Frames.DefaultMaxFrame + 1);
            raw.Send(envelope);
        });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public Task Stream_GarbageAfterHandshake_ClosedWithProtocolError(int seed) =>
        ExpectErrorAsync(
            code => code is ErrorCode.UnsupportedVersion or ErrorCode.FrameTooLarge or ErrorCode.UnknownKind or ErrorCode.MalformedFrame or ErrorCode.UnexpectedFrame,
            async (raw, _) =>
            {
                await raw.HandshakeAsync();
                var random = new Random(seed);
                byte[] garbage = new byte[random.Next(1, 4096)];
                random.NextBytes(garbage);
                output.WriteLine($"seed {seed}: {garbage.Length} random bytes starting {Convert.ToHexString(garbage.AsSpan(0, Math.Min(16, garbage.Length)))}");
                raw.TrySend(garbage);

                // Whatever the garbage claims to be, the stream ends here: the router must not wait for more.
                raw.ShutdownSend();
            });

    [Fact]
    public Task Envelope_BeforeHello_ClosedWithUnexpectedFrame() =>
        ExpectErrorAsync(ErrorCode.UnexpectedFrame, (raw, pair) =>
        {
            // A well-formed tell to the healthy receiver: it must not be delivered (the pair checks every arrival).
            raw.Send(WireFrames.Numbered(pair.Target, -1));
            return Task.CompletedTask;
        });

    [Fact]
    public Task Hello_SentTwice_ClosedWithUnexpectedFrame() =>
        ExpectErrorAsync(ErrorCode.UnexpectedFrame, async (raw, _) =>
        {
            await raw.HandshakeAsync();
            raw.Send(WireFrames.Hello());
        });

    [Theory]
    [InlineData(false, 0x09)]
    [InlineData(true, 0x09)]
    [InlineData(true, 0x20)]
    [InlineData(true, 0xFF)]
    [InlineData(true, 0x00)]
    public Task Frame_UnknownKind_ClosedWithUnknownKind(bool afterHello, byte kind) =>
        ExpectErrorAsync(ErrorCode.UnknownKind, async (raw, _) =>
        {
            if (afterHello)
            {
                await raw.HandshakeAsync();
            }

            raw.Send(WireFrames.Prefixed(16, kind));
        });

    [Theory]
    [InlineData(8, 16)]
    [InlineData(16, 8)]
    [InlineData(0, 8)]
    [InlineData(uint.MaxValue, 8)]
    public Task Envelope_PayloadLengthDisagreesWithLength_ClosedWithMalformedFrame(uint declared, int actual) =>
        ExpectErrorAsync(ErrorCode.MalformedFrame, async (raw, pair) =>
        {
            await raw.HandshakeAsync();
            byte[] envelope = WireFrames.Envelope(MessageKind.Tell, pair.Target, new byte[actual], MessageType<Numbered>.Id);
            MemoryMarshal.AsRef<EnvelopeHeader>(envelope.AsSpan()).PayloadLength = declared;
            raw.Send(envelope);
        });

    [Fact]
    public Task Register_CountDisagreesWithLength_ClosedWithMalformedFrame() =>
        ExpectErrorAsync(ErrorCode.MalformedFrame, async (raw, _) =>
        {
            await raw.HandshakeAsync();
            byte[] register = Frames.Register(new AgentId(AgentType.Register("transport-tests/raw"), 1), [1, 2, 3]);
            BinaryPrimitives.WriteUInt32LittleEndian(register.AsSpan(16), 4);
            raw.Send(register);
        });

    private static long TotalProtocolErrors(RouterServer router) =>
        Enum.GetValues<ErrorCode>().Sum(code => router.Metrics.ProtocolErrors(code));

    private static async Task WithRouterAsync(RouterOptions? options, Func<Cluster, Task> body)
    {
        await using Cluster cluster = await Cluster.StartAsync(options);
        await body(cluster);
    }

    private Task ExpectErrorAsync(ErrorCode expected, Func<RawConnection, HealthyPair, Task> misbehave, RouterOptions? options = null) =>
        ExpectErrorAsync(code => code == expected, misbehave, options);

    private async Task ExpectErrorAsync(Func<ErrorCode, bool> expected, Func<RawConnection, HealthyPair, Task> misbehave, RouterOptions? options = null)
    {
        await using Cluster cluster = await Cluster.StartAsync(options);
        RouterServer router = cluster.Router;
        HealthyPair pair = await HealthyPair.JoinAsync(cluster);

        // Before: the pair is served.
        pair.Send(1_000);
        pair.AssertNoneLost();
        long[] before = Enum.GetValues<ErrorCode>().Select(router.Metrics.ProtocolErrors).ToArray();

        // During: the pair keeps sending while the bad connection does its thing.
        pair.StartBackground();
        pair.WaitForProgress(200);
        ErrorCode code;
        using (RawConnection raw = await RawConnection.ConnectAsync(cluster.SocketPath))
        {
            await misbehave(raw, pair);
            (code, string text) = await raw.ReadErrorAsync();
            output.WriteLine($"router: {code}: {text}");
            Assert.True(expected(code), $"unexpected error code {code} ({text})");
            Assert.False(string.IsNullOrWhiteSpace(text));
            await raw.AssertClosedAsync();
        }

        // Counted once, under its code and no other.
        Eventually.True(() => router.Metrics.ProtocolErrors(code) == before[(int)code] + 1, $"the router to count one {code}");
        foreach (ErrorCode other in Enum.GetValues<ErrorCode>())
        {
            Assert.Equal(before[(int)other] + (other == code ? 1 : 0), router.Metrics.ProtocolErrors(other));
        }

        Eventually.True(() => router.ConnectionCount == 2 && router.Metrics.Connections == 2, "the bad connection to be gone");
        pair.WaitForProgress(200);
        await pair.StopBackgroundAsync();

        // After: still served, nothing lost, nothing extra (the bad connection's envelopes were not delivered).
        pair.Send(1_000);
        pair.AssertNoneLost();
        await pair.AskAsync();
        Assert.Equal(1, router.AgentCount);
    }
}
