using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Remote;
using FastAgents.Transport.Buffers;
using FastAgents.Transport.Protocol;

namespace FastAgents.Router;

/// <summary>
/// One client connection of the router: a read loop that checks and routes frames, and an outbound pipe, filled by
/// every connection's read loop and drained to the socket by this connection's send loop.
/// </summary>
/// <remarks>
/// Design: frames are routed as they are read, in batches: consecutive frames to the same target are copied into
/// its pipe under one lock acquisition and made visible with one flush. The pipe never pauses by itself; the router
/// counts the bytes queued for each connection, and a read loop that would push a target past
/// <see cref="RouterOptions.MaxQueuedBytes"/> stops reading (so its own socket fills and its process feels the
/// backpressure) until the target drains, or refuses the envelopes after <see cref="RouterOptions.StallTimeout"/>,
/// telling their senders. Memory per connection is bounded either way; nothing is dropped without a notice.
/// Control frames the router writes (welcome, heartbeats, undeliverable and gone notices) may go past the limit,
/// up to four times it: a client that stops reading altogether is disconnected (SlowReader).
/// </remarks>
internal sealed class RouterConnection
{
    private readonly RouterServer _server;
    private readonly RouterOptions _options;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly Pipe _output;
    private readonly Lock _writeLock = new();
    private readonly List<RoomWaiter> _stalled = [];
    private readonly RoomWaiter _waiter = new();
    private readonly TaskCompletionSource _closedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _queued;
    private long _backlog;
    private int _closed;
    private volatile bool _overloaded;
    private volatile bool _stopReading;
    private bool _noticesPastLimit; // read loop only
    private Task _sendLoop = Task.CompletedTask;

    public RouterConnection(RouterServer server, Socket socket, uint id)
    {
        _server = server;
        _options = server.Options;
        _socket = socket;
        Id = id;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(pool: BlockPool.Shared, bufferSize: BlockPool.BlockSize, minimumReadSize: 16 * 1024, leaveOpen: true));
        _output = new Pipe(new PipeOptions(
            pool: BlockPool.Shared,
            readerScheduler: new WorkItemScheduler(),
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,   // the router bounds the queue itself (see the remarks)
            resumeWriterThreshold: 0,
            minimumSegmentSize: BlockPool.BlockSize,
            useSynchronizationContext: false));
    }

    public uint Id { get; }

    public string Name { get; private set; } = "?";

    /// <summary>The largest frame the client accepts (from its hello); larger envelopes to it are refused.</summary>
    public int PeerMaxFrame { get; private set; } = Frames.DefaultMaxFrame;

    /// <summary>The client's node agent, once its hello has been read.</summary>
    public AgentId Node { get; private set; }

    /// <summary>The backlog the client last reported (envelopes waiting in its inboxes).</summary>
    public long Backlog => Volatile.Read(ref _backlog);

    /// <summary>Bytes queued here for the client and not yet written to its socket.</summary>
    public long QueuedBytes => Volatile.Read(ref _queued);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public long LastReceivedMs = Environment.TickCount64;

    public long LastHeartbeatSentMs = Environment.TickCount64;

    public string? CloseReason { get; private set; }

    // Routing-table bookkeeping, guarded by the table's lock.
    public Dictionary<ulong, ulong[]> AgentCapabilities { get; } = [];

    public Dictionary<ulong, int> CapabilityCounts { get; } = [];

    public Dictionary<ulong, int> TopicCounts { get; } = [];

    public HashSet<(ulong Topic, ulong Agent)> Subscriptions { get; } = [];

    /// <summary>Runs the connection to its end: handshake, then routing until the client leaves or breaks the protocol.</summary>
    public async Task RunAsync()
    {
        _sendLoop = Task.Run(SendLoopAsync);
        bool joined = false;
        try
        {
            HelloFrame hello = await ReadHelloAsync().ConfigureAwait(false);
            Authenticate(hello);
            Name = hello.Name;
            Node = hello.NodeAgent;
            PeerMaxFrame = Math.Max(Frames.MinMaxFrame, hello.MaxFrame);
            if (!_server.Table.AddNode(this))
            {
                Node = AgentId.None;
                throw new ProtocolException(ErrorCode.NodeInUse, $"Node agent {hello.NodeAgent.Value:x16} is already connected.");
            }

            joined = true;
            byte[] welcome = new byte[Frames.WelcomeSize];
            Frames.WriteWelcome(welcome, _options.MaxFrame, (int)_options.HeartbeatInterval.TotalMilliseconds, (int)_options.DeadAfter.TotalMilliseconds, Id);
            WriteControl(welcome);
            RouterLog.Joined(_server.Logger, Id, Name, Node.Value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
            await RouteAsync().ConfigureAwait(false);
            if (_server.IsDraining && !IsClosed)
            {
                // Shutdown: what was read is still being written; the server says goodbye and closes when it is out.
                await _closedSignal.Task.WaitAsync(_options.DrainTimeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }

            Close(CloseReason ?? "the client closed the connection");
        }
        catch (ProtocolException ex)
        {
            _server.Metrics.ProtocolError(ex.Code);
            RouterLog.ProtocolError(_server.Logger, Id, Name, ex.Code, ex.Message);
            CloseAfter(Frames.Error(ex.Code, ex.Message), $"protocol error {ex.Code}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            RouterLog.Aborted(_server.Logger, Id, ex.Message);
            Close($"connection failed: {ex.Message}");
        }
        finally
        {
            await _input.CompleteAsync().ConfigureAwait(false);
            _server.OnEnded(this, joined);
            WakeStalled();
            try
            {
                await _sendLoop.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            _stream.Dispose();
        }
    }

    private async Task<HelloFrame> ReadHelloAsync()
    {
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout);
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync(timeout.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (Frames.TryReadPrefix(buffer, _options.MaxFrame, out int length, out FrameKind kind))
                {
                    if (kind != FrameKind.Hello)
                    {
                        throw new ProtocolException(ErrorCode.UnexpectedFrame, $"The first frame must be a hello; this one is {kind}.");
                    }

                    if (length > 36 + Frames.MaxNameBytes + Frames.MaxTokenBytes)
                    {
                        throw new ProtocolException(ErrorCode.MalformedFrame, $"A hello of {length} bytes is longer than any valid hello.");
                    }

                    if (buffer.Length >= length)
                    {
                        byte[] frame = buffer.Slice(0, length).ToArray();
                        _input.AdvanceTo(buffer.GetPosition(length));
                        LastReceivedMs = Environment.TickCount64;
                        return Frames.ReadHello(frame);
                    }
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        // A client that breaks off inside its hello sent a malformed stream; one that sent nothing (a probe) did not.
                        throw new ProtocolException(ErrorCode.MalformedFrame, $"The connection ended {buffer.Length} bytes into the hello.");
                    }

                    throw new IOException("The client closed the connection before its hello.");
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new ProtocolException(ErrorCode.HandshakeTimeout, $"No hello within {_options.HandshakeTimeout.TotalMilliseconds:0} ms.");
        }
    }

    private void Authenticate(HelloFrame hello)
    {
        byte[] expected = _server.TokenBytes;
        if (expected.Length == 0)
        {
            return;
        }

        // Hashes of equal length, compared in constant time: neither the token nor its length leaks through timing.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(hello.Token), SHA256.HashData(expected)))
        {
            throw new ProtocolException(ErrorCode.Unauthorized, "The token does not match the router's.");
        }
    }

    // ---- routing ---------------------------------------------------------------------------------------------------

    private async Task RouteAsync()
    {
        RoutingTable table = _server.Table;
        var batch = new Batch(this);
        ulong cachedAgent = 0;
        RouterConnection? cachedOwner = null;
        int cachedVersion = -1;
        while (!_stopReading)
        {
            ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
            long started = Stopwatch.GetTimestamp();
            ReadOnlySequence<byte> buffer = result.Buffer;
            Volatile.Write(ref LastReceivedMs, Environment.TickCount64);
            long frames = 0;
            long bytes = buffer.Length;
            try
            {
                while (Frames.TryReadPrefix(buffer, _options.MaxFrame, out int length, out FrameKind kind) && buffer.Length >= length)
                {
                    ReadOnlySequence<byte> frame = buffer.Slice(0, length);
                    if (!Frames.IsEnvelope(kind))
                    {
                        batch.End();
                        HandleControl(kind, frame);
                    }
                    else
                    {
                        EnvelopeHeader header = ReadHeader(frame);
                        Frames.CheckEnvelope(in header, length);
                        if (header.Kind == MessageKind.Publish && header.Target.IsNone)
                        {
                            foreach (RouterConnection subscriber in table.Subscribers(header.CorrelationId))
                            {
                                if (subscriber != this && (length > subscriber.PeerMaxFrame || !await batch.AddAsync(subscriber, frame).ConfigureAwait(false)))
                                {
                                    Refuse(batch, in header, subscriber.IsClosed ? DeadLetterReason.Disconnected : DeadLetterReason.InboxFull);
                                }
                            }
                        }
                        else
                        {
                            RouterConnection? target;
                            if ((header.Flags & EnvelopeFlags.AnyOf) != 0)
                            {
                                target = table.PickLeastBusy(header.Target.Value);
                            }
                            else
                            {
                                int version = table.Version;
                                if (header.Target.Value != cachedAgent || version != cachedVersion)
                                {
                                    cachedOwner = table.Owner(header.Target.Value);
                                    cachedAgent = header.Target.Value;
                                    cachedVersion = version;
                                }

                                target = cachedOwner;
                            }

                            if (target is null)
                            {
                                Refuse(batch, in header, DeadLetterReason.NoSuchAgent);
                            }
                            else if (length > target.PeerMaxFrame)
                            {
                                Refuse(batch, in header, DeadLetterReason.FrameTooLarge);
                            }
                            else if (!await batch.AddAsync(target, frame).ConfigureAwait(false))
                            {
                                Refuse(batch, in header, target.IsClosed ? DeadLetterReason.Disconnected : DeadLetterReason.InboxFull);
                            }
                        }
                    }

                    frames++;
                    buffer = buffer.Slice(length);
                    if (_noticesPastLimit)
                    {
                        _noticesPastLimit = false;
                        batch.End();
                        await WaitForOwnRoomAsync().ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                batch.End();
            }

            _server.Metrics.Read(frames, bytes - buffer.Length);
            _server.Metrics.RoutingTime(Stopwatch.GetTimestamp() - started);
            long leftover = buffer.Length;
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted && leftover > 0 && !_stopReading)
            {
                // The stream ended inside a frame: the bytes received do not make whole frames.
                throw new ProtocolException(ErrorCode.MalformedFrame, $"The connection ended {leftover} bytes into a frame.");
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    private static EnvelopeHeader ReadHeader(in ReadOnlySequence<byte> frame)
    {
        ReadOnlySpan<byte> first = frame.FirstSpan;
        if (first.Length >= EnvelopeHeader.Size)
        {
            return MemoryMarshal.Read<EnvelopeHeader>(first);
        }

        Span<byte> copy = stackalloc byte[EnvelopeHeader.Size];
        frame.Slice(0, EnvelopeHeader.Size).CopyTo(copy);
        return MemoryMarshal.Read<EnvelopeHeader>(copy);
    }

    /// <summary>Tells this connection's client that an envelope it sent was not delivered (and counts it).</summary>
    private void Refuse(Batch batch, in EnvelopeHeader header, DeadLetterReason reason)
    {
        batch.End();
        _server.Metrics.Refused(reason);
        if (header.Kind == MessageKind.Reply)
        {
            return; // the asker is gone or unknown: nobody is waiting for this notice
        }

        Span<byte> notice = stackalloc byte[Frames.UndeliverableSize];
        Frames.WriteUndeliverable(notice, reason, Frames.FromRouter, header.AsBytes());
        WriteControl(notice);
        _noticesPastLimit |= Volatile.Read(ref _queued) > _options.MaxQueuedBytes;
    }

    /// <summary>
    /// Stops reading from this client until what is queued for it (mostly notices of its own refused envelopes)
    /// falls to half the limit: refusals cost the router nothing, so a client that sends faster than it takes
    /// their notices would otherwise grow its queue to the slow-reader limit, and lose the notices and whatever
    /// it had sent with its connection. A client that takes nothing for <see cref="RouterOptions.DeadAfter"/> is
    /// a slow reader.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitForOwnRoomAsync()
    {
        long deadline = Environment.TickCount64 + (long)_options.DeadAfter.TotalMilliseconds;
        while (Volatile.Read(ref _queued) > _options.MaxQueuedBytes / 2 && !IsClosed)
        {
            if (Environment.TickCount64 >= deadline)
            {
                throw new ProtocolException(ErrorCode.SlowReader, $"{Volatile.Read(ref _queued)} bytes still wait for the client after {_options.DeadAfter.TotalMilliseconds:0} ms without reading from it.");
            }

            await WaitForRoom(_waiter).ConfigureAwait(false);

            // Not reading the client is the router's doing, not the client's silence.
            Volatile.Write(ref LastReceivedMs, Environment.TickCount64);
        }
    }

    private void HandleControl(FrameKind kind, in ReadOnlySequence<byte> sequence)
    {
        byte[] frame = sequence.ToArray(); // control frames are rare; a copy keeps the parsing simple
        RoutingTable table = _server.Table;
        switch (kind)
        {
            case FrameKind.Register:
                AgentId agent = Frames.ReadRegister(frame, out ulong[] capabilities);
                table.Register(this, agent, capabilities);
                break;
            case FrameKind.Deregister:
                table.Deregister(this, Frames.ReadDeregister(frame));
                break;
            case FrameKind.Subscribe:
                (ulong topic, AgentId subscriber) = Frames.ReadSubscription(frame, kind);
                table.Subscribe(this, topic, subscriber);
                break;
            case FrameKind.Unsubscribe:
                (ulong oldTopic, AgentId old) = Frames.ReadSubscription(frame, kind);
                table.Unsubscribe(this, oldTopic, old);
                break;
            case FrameKind.Heartbeat:
                Volatile.Write(ref _backlog, Frames.ReadHeartbeat(frame));
                break;
            case FrameKind.Undeliverable:
                // A process could not answer an ask from another: pass the notice to the asker's connection.
                DeadLetterReason reason = Frames.ReadUndeliverable(frame, out _, out EnvelopeHeader original);
                if (table.Owner(original.Sender.Value) is { } asker)
                {
                    asker.WriteControl(frame);
                }
                else
                {
                    _server.Metrics.Refused(reason);
                }

                break;
            case FrameKind.Close:
                _stopReading = true;
                CloseReason = "the client said goodbye";
                break;
            case FrameKind.Error:
                (ErrorCode code, string text) = Frames.ReadError(frame);
                _stopReading = true;
                CloseReason = $"the client reported {code}: {text}";
                break;
            default:
                throw new ProtocolException(ErrorCode.UnexpectedFrame, $"A client does not send {kind} frames after its hello.");
        }
    }

    // ---- writing ---------------------------------------------------------------------------------------------------

    /// <summary>Queues a control frame for the client (past the envelope limit, up to four times it).</summary>
    public void WriteControl(ReadOnlySpan<byte> frame)
    {
        bool slow = false;
        lock (_writeLock)
        {
            if (IsClosed)
            {
                return;
            }

            if (Volatile.Read(ref _queued) > 4L * _options.MaxQueuedBytes)
            {
                slow = true;
            }
            else
            {
                AppendLocked(frame);
            }
        }

        if (slow)
        {
            string text = $"The client does not read: more than {4L * _options.MaxQueuedBytes} bytes wait for it.";
            _server.Metrics.ProtocolError(ErrorCode.SlowReader);
            CloseAfter(Frames.Error(ErrorCode.SlowReader, text), text);
        }

        _server.Metrics.Queued(1);
    }

    /// <summary>Queues one whole frame and makes it visible to the send loop (under the write lock).</summary>
    private void AppendLocked(ReadOnlySpan<byte> frame)
    {
        frame.CopyTo(_output.Writer.GetSpan(frame.Length));
        _output.Writer.Advance(frame.Length);
        Interlocked.Add(ref _queued, frame.Length); // the send loop subtracts what it writes
        Commit();
    }

    private void Commit()
    {
        ValueTask<FlushResult> flush = _output.Writer.FlushAsync();
        if (!flush.IsCompletedSuccessfully)
        {
            // With no pause threshold a flush only fails to complete when the reader side is gone.
            _ = flush.AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private async Task SendLoopAsync()
    {
        PipeReader reader = _output.Reader;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                foreach (ReadOnlyMemory<byte> segment in buffer)
                {
                    ReadOnlyMemory<byte> rest = segment;
                    while (!rest.IsEmpty)
                    {
                        int sent = await _socket.SendAsync(rest, SocketFlags.None).ConfigureAwait(false);
                        rest = rest[sent..];
                    }
                }

                long length = buffer.Length;
                reader.AdvanceTo(buffer.End);
                long left = Interlocked.Add(ref _queued, -length);
                _server.Metrics.Wrote(length);
                if (left <= _options.MaxQueuedBytes / 2)
                {
                    _overloaded = false;
                    WakeStalled();
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            Close($"send failed: {ex.Message}");
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Sends a last frame (an error) and then closes.</summary>
    public void CloseAfter(ReadOnlySpan<byte> lastFrame, string reason)
    {
        bool closed;
        lock (_writeLock)
        {
            if (!IsClosed)
            {
                AppendLocked(lastFrame);
            }

            // Closed under the same lock as the last frame was queued: nothing another thread queues can follow it.
            closed = CloseOutputLocked(reason);
        }

        if (closed)
        {
            StopAfterClose();
        }
    }

    /// <summary>Ends the connection: nothing more is queued; what is queued is still written, then the socket closes.</summary>
    public void Close(string reason)
    {
        bool closed;
        lock (_writeLock)
        {
            closed = CloseOutputLocked(reason);
        }

        if (closed)
        {
            StopAfterClose();
        }
    }

    /// <summary>Marks the connection closed and completes its output (under the write lock); false when it already was.</summary>
    private bool CloseOutputLocked(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        CloseReason ??= reason;
        _output.Writer.Complete();
        return true;
    }

    // Outside the write lock: cancelling the read may run the read loop's continuation on this thread.
    private void StopAfterClose()
    {
        _closedSignal.TrySetResult();
        _stopReading = true;
        _input.CancelPendingRead();
        WakeStalled();
    }

    /// <summary>Stops reading from the client (shutdown: what was read is still routed and written).</summary>
    public void StopReading()
    {
        _stopReading = true;
        _input.CancelPendingRead();
    }

    /// <summary>Ends the connection at once, dropping what is queued.</summary>
    public void Abort(string reason)
    {
        Close(reason);
        _output.Reader.CancelPendingRead();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Wakes every read loop waiting for room here (room was made, the connection closed, or a tick passed).</summary>
    public void WakeStalled()
    {
        lock (_stalled)
        {
            // Signal only queues a work item: safe under the lock, and no copy of the list is needed.
            foreach (RoomWaiter waiter in _stalled)
            {
                waiter.Signal();
            }

            _stalled.Clear();
        }
    }

    private ValueTask<bool> WaitForRoom(RoomWaiter waiter)
    {
        ValueTask<bool> wait = waiter.Arm();
        lock (_stalled)
        {
            _stalled.Add(waiter);
        }

        // Room may have been made between the caller's check and the registration.
        if (Volatile.Read(ref _queued) <= _options.MaxQueuedBytes / 2 || IsClosed)
        {
            waiter.Signal();
        }

        return wait;
    }

    /// <summary>
    /// Consecutive frames a read loop routes to one target: the target's write lock is held across them and its
    /// pipe flushed once at the end. Never held across an await: every wait ends the batch first, and a frame added
    /// after a wait ends its batch before the wait's task completes.
    /// </summary>
    private sealed class Batch(RouterConnection owner)
    {
        private RouterConnection? _target;
        private long _frames;

        /// <summary>Routes one frame; awaits room when the target is full (up to the stall timeout).</summary>
        /// <returns>False when the frame was not queued (target closed, or still full): the caller refuses it.</returns>
        public ValueTask<bool> AddAsync(RouterConnection target, in ReadOnlySequence<byte> frame) =>
            TryAdd(target, in frame, out bool full) ? new ValueTask<bool>(true)
            : full ? WaitThenAddAsync(target, frame)
            : new ValueTask<bool>(false);

        public void End()
        {
            if (_target is { } target)
            {
                target.Commit();
                target._writeLock.Exit();
                target._server.Metrics.Queued(_frames);
                _frames = 0;
                _target = null;
            }
        }

        private bool TryAdd(RouterConnection target, in ReadOnlySequence<byte> frame, out bool full)
        {
            int length = (int)frame.Length;
            full = false;
            if (Volatile.Read(ref target._queued) + length > target._options.MaxQueuedBytes)
            {
                End();
                full = !target.IsClosed;
                return false;
            }

            if (target != _target)
            {
                End();
                target._writeLock.Enter();
                if (target.IsClosed)
                {
                    target._writeLock.Exit();
                    return false;
                }

                _target = target;
            }

            PipeWriter writer = target._output.Writer;
            frame.CopyTo(writer.GetSpan(length));
            writer.Advance(length);
            Interlocked.Add(ref target._queued, length);
            _frames++;
            return true;
        }

        // Pooled: under sustained overload a read loop waits here once per batch, and must not allocate each time.
        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> WaitThenAddAsync(RouterConnection target, ReadOnlySequence<byte> frame)
        {
            int length = (int)frame.Length;
            if (target._overloaded)
            {
                return false;
            }

            owner._server.Metrics.Stalled();
            long deadline = Environment.TickCount64 + (long)target._options.StallTimeout.TotalMilliseconds;
            while (true)
            {
                if (Volatile.Read(ref target._queued) + length <= target._options.MaxQueuedBytes)
                {
                    if (TryAdd(target, in frame, out bool full))
                    {
                        // Released here, on the thread that took the lock. After an await this method may complete on
                        // another thread than the read loop resumes on (an awaiter that registers after the completion
                        // is queued to the pool), and a System.Threading.Lock can only be left by the thread that holds
                        // it: a lock carried back to the read loop was orphaned, the loop failed on its exit, and every
                        // later writer to the target hung.
                        End();
                        return true;
                    }

                    if (!full)
                    {
                        return false;
                    }
                }

                if (target.IsClosed)
                {
                    return false;
                }

                if (Environment.TickCount64 >= deadline || owner.IsClosed)
                {
                    target._overloaded = true;
                    RouterLog.Overloaded(owner._server.Logger, target.Id, target.Name, target._options.StallTimeout.TotalMilliseconds);
                    return false;
                }

                await target.WaitForRoom(owner._waiter).ConfigureAwait(false);

                // Not reading the owner is the router's doing, not the owner's silence.
                Volatile.Write(ref owner.LastReceivedMs, Environment.TickCount64);
            }
        }
    }
}
