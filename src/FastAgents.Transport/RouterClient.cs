using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using FastAgents.Rings;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Internal;
using FastAgents.Transport.Buffers;
using FastAgents.Transport.Client;
using FastAgents.Transport.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastAgents.Transport;

/// <summary>
/// Joins an <see cref="AgentRuntime"/> to other processes through a router daemon: once connected, every send to
/// an agent that is not local (Tell, Ask, TellAny/AskAny to a capability nobody here has, and every Publish) goes to
/// the router, and agents elsewhere reach this process's agents the same way. Local agents, their capabilities and
/// subscriptions are registered with the router, and again after every reconnection.
/// </summary>
/// <remarks>
/// <para>
/// Design: envelopes for remote agents are written by their senders straight into the link's outbound ring (the
/// same claim, write and publish as a local send); one writer thread drains it into a 64 KiB buffer and writes
/// that to the socket, so frames are coalesced under load and go out at once when the ring is idle: there is no
/// timer to wait for. Frames from the router are read through a <see cref="PipeReader"/> and copied into the target
/// workers' lanes. Nothing on either path allocates.
/// </para>
/// <para>
/// When the connection breaks, asks that went through it fail with <see cref="DeadLetterReason.Disconnected"/>,
/// envelopes already queued stay in the ring for the next connection (senders feel backpressure when it fills),
/// and the client reconnects with doubling delays and re-registers; <see cref="Reconnections"/> counts it.
/// Envelopes in a socket write that failed cannot be known to have arrived and are dead-lettered as Disconnected
/// (delivery is at most once).
/// </para>
/// </remarks>
public sealed class RouterClient : IAsyncDisposable
{
    private readonly AgentRuntime _runtime;
    private readonly RouterClientOptions _options;
    private readonly TransportEndpoint _endpoint;
    private readonly ClientLink _link;
    private readonly ILogger _log;
    private readonly byte[] _token;
    private readonly Thread _writer;
    private readonly ManualResetEventSlim _connectedSignal = new(false);
    private readonly ManualResetEventSlim _sendDone = new(false);
    private readonly Action _onSendDone;
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer _timer;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientConnection? _connection;
    private Task _supervisor = Task.CompletedTask;
    private volatile bool _heartbeatDue;
    private long _lastHeartbeatMs; // timer thread only
    private volatile bool _stopping;
    private long _framesSent;
    private long _framesReceived;
    private long _bytesSent;
    private long _bytesReceived;
    private int _reconnections;
    private int _disposed;

    private RouterClient(AgentRuntime runtime, RouterClientOptions options)
    {
        _runtime = runtime;
        _options = options;
        _endpoint = TransportEndpoint.Parse(options.Endpoint);
        _token = Encoding.UTF8.GetBytes(options.Token ?? string.Empty);
        _log = options.LoggerFactory?.CreateLogger<RouterClient>() ?? NullLogger<RouterClient>.Instance;
        _link = new ClientLink(options.OutboundCapacity, new SpinThenParkWait(options.IdleSpin, options.IdleYield));
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = $"{options.Name}-link-writer" };
        _timer = new Timer(static state => ((RouterClient)state!).Tick(), this, Timeout.Infinite, Timeout.Infinite);
        _onSendDone = _sendDone.Set;
    }

    /// <summary>True while a connection to the router is up.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is { IsClosed: false };

    /// <summary>How many times the client has connected again after losing the router.</summary>
    public int Reconnections => Volatile.Read(ref _reconnections);

    /// <summary>Frames written to the router.</summary>
    public long FramesSent => Volatile.Read(ref _framesSent);

    /// <summary>Frames read from the router.</summary>
    public long FramesReceived => Volatile.Read(ref _framesReceived);

    /// <summary>Bytes written to the router.</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Bytes read from the router.</summary>
    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>This process's node agent: replies to asks made outside any agent are addressed to it.</summary>
    public AgentId NodeAgent => _link.NodeAgent;

    /// <summary>
    /// Connects <paramref name="runtime"/> to the router at <see cref="RouterClientOptions.Endpoint"/>, registers its
    /// agents, and keeps the connection up until disposed.
    /// </summary>
    /// <exception cref="ProtocolException">The router refused the connection (bad token, version, node in use).</exception>
    /// <exception cref="SocketException">The router could not be reached.</exception>
    /// <exception cref="TimeoutException">Connecting and the handshake took longer than <see cref="RouterClientOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The runtime already has a link.</exception>
    public static async Task<RouterClient> ConnectAsync(AgentRuntime runtime, RouterClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        options ??= new RouterClientOptions();
        options.Validate();
        var client = new RouterClient(runtime, options);
        runtime.AttachLink(client._link);
        try
        {
            ClientConnection connection = await client.ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
            client.Activate(connection);
        }
        catch
        {
            runtime.DetachLink(client._link);
            throw;
        }

        client._writer.Start();
        int period = (int)Math.Max(1, Math.Min(options.HeartbeatInterval.TotalMilliseconds, 250));
        client._timer.Change(period, period);
        client._supervisor = client.SuperviseAsync();
        return client;
    }

    /// <summary>Waits until the client is connected (after a router restart, say); false if <paramref name="timeout"/> passes first.</summary>
    public bool WaitConnected(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!IsConnected || !_link.Connected)
        {
            if (Environment.TickCount64 >= deadline || _stopping)
            {
                return false;
            }

            _connectedSignal.Wait(TimeSpan.FromMilliseconds(20));
        }

        return true;
    }

    /// <summary>
    /// Sends what is already in the outbound ring (waiting up to 5 s for it to drain), says goodbye, closes the
    /// connection and detaches the runtime: from then on sends to remote agents are dead-lettered as NoSuchAgent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        long deadline = Environment.TickCount64 + 5000;
        while (IsConnected && _link.Outbound.Depth > 0 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        if (IsConnected)
        {
            // Goodbye first (the writer sends control frames ahead of anything else), then stop the writer.
            _link.EnqueueControl(Frames.Close(ErrorCode.None));
            while (IsConnected && _link.HasControl && Environment.TickCount64 < deadline)
            {
                await Task.Delay(1).ConfigureAwait(false);
            }
        }

        _stopping = true;
        _link.Wait.SignalAllWhenBlocking();
        _connectedSignal.Set();
        await _writerDone.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        ClientConnection? connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            connection.Close("client closed");
            await connection.Completion.ConfigureAwait(false);
            connection.Dispose();
        }

        try
        {
            await _supervisor.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _runtime.DetachLink(_link);
        _stop.Dispose();
        _connectedSignal.Dispose();
    }

    // ---- connecting ---------------------------------------------------------------------------------------------

    private async Task<ClientConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        Socket socket = _endpoint.CreateSocket();
        NetworkStream? stream = null;
        try
        {
            try
            {
                await socket.ConnectAsync(_endpoint.EndPoint, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Connecting to the router at {_endpoint} took longer than {_options.ConnectTimeout}.");
            }

            stream = new NetworkStream(socket, ownsSocket: false);
            PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(pool: BlockPool.Shared, bufferSize: BlockPool.BlockSize, minimumReadSize: 8 * 1024, leaveOpen: true));
            byte[] hello = Frames.Hello(_link.NodeAgent, _options.MaxFrame, (int)_options.HeartbeatInterval.TotalMilliseconds, _options.Name, _token);
            await socket.SendAsync(hello, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            WelcomeFrame welcome;
            try
            {
                welcome = await ReadWelcomeAsync(reader, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The router at {_endpoint} did not answer the hello within {_options.ConnectTimeout}.");
            }

            var connection = new ClientConnection(socket, stream, reader, Math.Min(welcome.MaxFrame, int.MaxValue), welcome.ConnectionId);
            ClientLog.Connected(_log, _endpoint.Text, welcome.ConnectionId);
            return connection;
        }
        catch
        {
            stream?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    private async Task<WelcomeFrame> ReadWelcomeAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (Frames.TryReadPrefix(buffer, _options.MaxFrame, out int length, out FrameKind kind) && buffer.Length >= length)
            {
                byte[] frame = buffer.Slice(0, length).ToArray();
                reader.AdvanceTo(buffer.GetPosition(length));
                switch (kind)
                {
                    case FrameKind.Welcome:
                        return Frames.ReadWelcome(frame);
                    case FrameKind.Error:
                        (ErrorCode code, string text) = Frames.ReadError(frame);
                        throw new ProtocolException(code, $"The router refused the connection: {text}");
                    case FrameKind.Heartbeat or FrameKind.Gone:
                        continue; // may come before the welcome; a new connection has nothing to fail yet
                    default:
                        throw new ProtocolException(ErrorCode.UnexpectedFrame, $"The router answered the hello with a {kind} frame.");
                }
            }

            if (result.IsCompleted)
            {
                throw new ProtocolException(ErrorCode.UnexpectedFrame, "The router closed the connection during the handshake.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Makes <paramref name="connection"/> current: registrations first, then the read loop and the writer.</summary>
    private void Activate(ClientConnection connection)
    {
        _link.ClearControl();
        _link.Connected = true;
        foreach ((AgentId id, IReadOnlyList<Capability> capabilities) in _runtime.LocalAgents())
        {
            _link.OnAgentAdded(id, capabilities);
        }

        foreach ((ulong topic, AgentId agent) in _runtime.LocalSubscriptions())
        {
            _link.OnSubscribed(agent, topic);
        }

        connection.Completion = Task.Run(() => ReadLoopAsync(connection));
        Volatile.Write(ref _connection, connection);
        _connectedSignal.Set();
        _link.Wait.SignalAllWhenBlocking();
    }

    private async Task SuperviseAsync()
    {
        var random = new Random();
        while (!_stopping)
        {
            ClientConnection? connection = Volatile.Read(ref _connection);
            if (connection is null)
            {
                return;
            }

            await connection.Completion.ConfigureAwait(false);
            if (_stopping)
            {
                return;
            }

            _connectedSignal.Reset();
            _link.Connected = false;
            Interlocked.CompareExchange(ref _connection, null, connection);
            int failed = _runtime.FailLinkAsks(_link);
            ClientLog.Disconnected(_log, _endpoint.Text, connection.CloseReason ?? "closed", failed);
            connection.Dispose();
            TimeSpan delay = _options.ReconnectMinDelay;
            while (!_stopping)
            {
                try
                {
                    await Task.Delay(delay + TimeSpan.FromMilliseconds(random.NextDouble() * delay.TotalMilliseconds / 2), _stop.Token).ConfigureAwait(false);
                    ClientConnection next = await ConnectOnceAsync(_stop.Token).ConfigureAwait(false);
                    if (_stopping)
                    {
                        next.Dispose();
                        return;
                    }

                    Interlocked.Increment(ref _reconnections);
                    Activate(next);
                    break;
                }
                catch (OperationCanceledException) when (_stopping)
                {
                    return;
                }
                catch (Exception ex) when (ex is SocketException or TimeoutException or ProtocolException or IOException)
                {
                    ClientLog.ReconnectFailed(_log, _endpoint.Text, ex.Message, delay.TotalMilliseconds);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
                }
            }
        }
    }

    private void Tick()
    {
        long now = Environment.TickCount64;
        if (now - _lastHeartbeatMs >= (long)_options.HeartbeatInterval.TotalMilliseconds)
        {
            _lastHeartbeatMs = now;
            _heartbeatDue = true;
            _link.Wait.SignalAllWhenBlocking();
        }

        if (Volatile.Read(ref _connection) is { IsClosed: false } connection
            && Environment.TickCount64 - Volatile.Read(ref connection.LastReceivedMs) > (long)_options.DeadAfter.TotalMilliseconds)
        {
            connection.Close($"nothing arrived from the router for {_options.DeadAfter.TotalMilliseconds:0} ms");
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    private async Task ReadLoopAsync(ClientConnection connection)
    {
        PipeReader reader = connection.Reader;
        AgentCell? lastTarget = null;
        byte[]? scratch = null;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                Volatile.Write(ref connection.LastReceivedMs, Environment.TickCount64);
                long consumed = 0;
                while (Frames.TryReadPrefix(buffer, _options.MaxFrame, out int length, out FrameKind kind) && buffer.Length >= length)
                {
                    ReadOnlySequence<byte> frame = buffer.Slice(0, length);
                    ReadOnlySpan<byte> span;
                    if (frame.IsSingleSegment)
                    {
                        span = frame.FirstSpan;
                    }
                    else
                    {
                        if (scratch is null || scratch.Length < length)
                        {
                            scratch = new byte[Math.Max(length, 4096)];
                        }

                        frame.CopyTo(scratch);
                        span = scratch.AsSpan(0, length);
                    }

                    Handle(connection, kind, span, ref lastTarget);
                    consumed++;
                    buffer = buffer.Slice(length);
                }

                Interlocked.Add(ref _framesReceived, consumed);
                Interlocked.Add(ref _bytesReceived, result.Buffer.Length - buffer.Length);
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled || connection.IsClosed)
                {
                    connection.Close(connection.CloseReason ?? "the router closed the connection");
                    return;
                }
            }
        }
        catch (ProtocolException ex)
        {
            ClientLog.ProtocolError(_log, _endpoint.Text, ex.Code, ex.Message);
            TrySend(connection, Frames.Error(ex.Code, ex.Message));
            connection.Close($"protocol error: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            connection.Close($"read failed: {ex.Message}");
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Handle(ClientConnection connection, FrameKind kind, ReadOnlySpan<byte> frame, ref AgentCell? lastTarget)
    {
        if (Frames.IsEnvelope(kind))
        {
            Frames.CheckEnvelope(frame);
            _runtime.DeliverRemote(frame, ref lastTarget);
            return;
        }

        switch (kind)
        {
            case FrameKind.Heartbeat:
                Frames.ReadHeartbeat(frame);
                break;
            case FrameKind.Undeliverable:
                DeadLetterReason reason = Frames.ReadUndeliverable(frame, out _, out _);
                _runtime.OnUndeliverable(frame[16..], reason);
                break;
            case FrameKind.Gone:
                var gone = new HashSet<ulong>(Frames.ReadGone(frame));
                _runtime.FailRemoteAsks(_link, id => gone.Contains(id.Value));
                break;
            case FrameKind.Error:
                (ErrorCode code, string text) = Frames.ReadError(frame);
                ClientLog.RouterError(_log, _endpoint.Text, code, text);
                connection.Close($"the router reported {code}: {text}");
                break;
            case FrameKind.Close:
                connection.Close("the router said goodbye");
                break;
            default:
                throw new ProtocolException(ErrorCode.UnexpectedFrame, $"A router does not send {kind} frames to a client.");
        }
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    private void WriteLoop()
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(_options.WriteBufferSize, pinned: true);
        byte[] heartbeat = new byte[Frames.HeartbeatSize];
        var work = new HasWork(this);
        try
        {
            while (!_stopping)
            {
                ClientConnection? connection = Volatile.Read(ref _connection);
                if (connection is null || connection.IsClosed || !_link.Connected)
                {
                    _connectedSignal.Wait(TimeSpan.FromMilliseconds(50));
                    continue;
                }

                _link.Wait.WaitUntil(ref work);
                if (Volatile.Read(ref _connection) != connection || connection.IsClosed)
                {
                    // The connection ended, or was replaced, while this thread waited: what is queued now (the
                    // re-registrations first) belongs to the next one, not to the socket read before the wait.
                    continue;
                }

                int used = 0;
                long frames = 0;
                try
                {
                    while (_link.TryDequeueControl(out byte[]? control))
                    {
                        used = Append(connection, buffer, used, control!, ref frames);
                    }

                    if (_heartbeatDue)
                    {
                        _heartbeatDue = false;
                        Frames.WriteHeartbeat(heartbeat, Backlog());
                        used = Append(connection, buffer, used, heartbeat, ref frames);
                    }

                    used = DrainRing(connection, buffer, used, ref frames);
                    Flush(connection, buffer, ref used);
                    Interlocked.Add(ref _framesSent, frames);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    DeadLetterUnsent(buffer.AsSpan(0, used));
                    connection.Close($"write failed: {ex.Message}");
                }
            }
        }
        finally
        {
            _writerDone.TrySetResult();
        }
    }

    private long Backlog()
    {
        long total = 0;
        foreach (Worker worker in _runtime.Workers)
        {
            total += worker.QueueDepth;
        }

        return total;
    }

    private int DrainRing(ClientConnection connection, byte[] buffer, int used, ref long frames)
    {
        Lane lane = _link.Outbound;
        while (true)
        {
            long next = lane.Consumed.Value + 1;
            long cursor = lane.Sequencer.Cursor.Value;
            if (cursor < next)
            {
                return used;
            }

            long available = lane.Sequencer.GetHighestPublishedSequence(next, Math.Min(cursor, next + 1023));
            if (available < next)
            {
                return used;
            }

            for (long s = next; s <= available; s++)
            {
                ref EnvelopeHeader header = ref lane.Header(s);
                if (header.Kind == MessageKind.None)
                {
                    lane.ReleaseOverflow(s);
                    continue;
                }

                int offset = header.PayloadOffset;
                int length = offset + (int)header.PayloadLength;
                if (length > connection.MaxFrame)
                {
                    _runtime.OnUndeliverable(lane.CopyFrame(s), DeadLetterReason.FrameTooLarge);
                    lane.ReleaseOverflow(s);
                    continue;
                }

                if (used + length > buffer.Length)
                {
                    Flush(connection, buffer, ref used);
                }

                bool overflow = (header.Flags & EnvelopeFlags.Overflow) != 0;
                if (length > buffer.Length)
                {
                    // Larger than the whole buffer: header from the slot, payload from its pooled buffer, straight out.
                    byte[] head = lane.CopyFrame(s);
                    SendAll(connection, head);
                }
                else
                {
                    Span<byte> target = buffer.AsSpan(used, length);
                    if (overflow)
                    {
                        MemoryMarshal.CreateReadOnlySpan(ref lane.Slot(s), offset).CopyTo(target);
                        lane.Payload(s, in header).CopyTo(target[offset..]);
                        MemoryMarshal.AsRef<EnvelopeHeader>(target).Flags &= ~EnvelopeFlags.Overflow;
                    }
                    else
                    {
                        MemoryMarshal.CreateReadOnlySpan(ref lane.Slot(s), length).CopyTo(target);
                    }

                    MemoryMarshal.AsRef<EnvelopeHeader>(target).Length = (uint)length;
                    used += length;
                }

                if (overflow)
                {
                    lane.ReleaseOverflow(s);
                }

                frames++;
            }

            lane.Consumed.SetValue(available);
        }
    }

    private int Append(ClientConnection connection, byte[] buffer, int used, byte[] frame, ref long frames)
    {
        if (used + frame.Length > buffer.Length)
        {
            Flush(connection, buffer, ref used);
        }

        if (frame.Length > buffer.Length)
        {
            SendAll(connection, frame);
        }
        else
        {
            frame.CopyTo(buffer, used);
            used += frame.Length;
        }

        frames++;
        return used;
    }

    private void Flush(ClientConnection connection, byte[] buffer, ref int used)
    {
        if (used == 0)
        {
            return;
        }

        SendAll(connection, buffer.AsMemory(0, used));
        used = 0;
    }

    /// <summary>
    /// Writes all of <paramref name="data"/>, blocking this thread until it is written. A blocking Socket.Send on a
    /// socket that also has asynchronous receives allocates an operation each time it has to wait; the asynchronous
    /// send with a cached continuation and a reused event does not.
    /// </summary>
    private void SendAll(ClientConnection connection, ReadOnlyMemory<byte> data)
    {
        int total = data.Length;
        while (!data.IsEmpty)
        {
#pragma warning disable CA2012 // Consumed once: GetResult after completion (at once, or the continuation set the event this thread waited on).
            ValueTask<int> send = connection.Socket.SendAsync(data, SocketFlags.None);
            if (!send.IsCompleted)
            {
                _sendDone.Reset();
                send.GetAwaiter().UnsafeOnCompleted(_onSendDone);
                _sendDone.Wait();
            }

            int sent = send.GetAwaiter().GetResult();
#pragma warning restore CA2012
            data = data[sent..];
        }

        Interlocked.Add(ref _bytesSent, total);
    }

    /// <summary>Dead-letters the envelopes in a write that failed: they may not have arrived.</summary>
    private void DeadLetterUnsent(ReadOnlySpan<byte> data)
    {
        while (data.Length >= Frames.PrefixSize)
        {
            int length = (int)MemoryMarshal.Read<uint>(data);
            if (length < Frames.PrefixSize || length > data.Length)
            {
                return;
            }

            if (Frames.IsEnvelope((FrameKind)data[5]))
            {
                _runtime.OnUndeliverable(data[..length], DeadLetterReason.Disconnected);
            }

            data = data[length..];
        }
    }

    private static void TrySend(ClientConnection connection, byte[] frame)
    {
        try
        {
            connection.Socket.Send(frame, SocketFlags.None);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private readonly struct HasWork(RouterClient client) : FastAgents.Rings.IWaitCondition
    {
        public bool IsSatisfied() =>
            client._link.Outbound.HasWork || client._link.HasControl || client._heartbeatDue || client._stopping
            || Volatile.Read(ref client._connection) is null or { IsClosed: true };
    }
}
