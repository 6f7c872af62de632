using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>A connection's far end: keeps what is written, and can hold writes unfinished as a full socket does.</summary>
internal sealed class HeldChannel : IMqttChannel
{
    private TaskCompletionSource? _held;

    public List<byte[]> Writes { get; } = [];

    public bool Keep { get; init; } = true;

    public int Count { get; private set; }

    public X509Certificate2 ClientCertificate => null!;

    public EndPoint RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 1);

    public EndPoint LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 2);

    public bool IsSecureConnection => false;

    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release()
    {
        var held = _held;
        _held = null;
        held?.SetResult();
    }

    public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        Count++;
        if (Keep)
        {
            Writes.Add(buffer.ToArray());
        }

        return _held?.Task ?? Task.CompletedTask;
    }

    public void Dispose()
    {
    }
}
