using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Device;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>Which sending device the bridge may check a send permit for: only one its owner cross-signed, as Element.</summary>
public sealed class SenderDeviceTrustTests
{
    private static DeviceRoomEvent Event(bool encrypted, string? device, VerificationState? verification) =>
        new("!r:test", "$e", "@dad:test", "m.room.message", new JsonObject(), encrypted, device, 1) { SenderVerification = verification };

    [Fact]
    public void Only_a_cross_signed_device_that_sent_the_megolm_session_counts()
    {
        Assert.Equal("PHONE", MatrixBridgeHost.TrustedSenderDevice(Event(true, "PHONE", VerificationState.CrossSigned)));
        // A device added with the password but not cross-signed by its owner: no permit can apply to it.
        Assert.Null(MatrixBridgeHost.TrustedSenderDevice(Event(true, "PHONE", VerificationState.NotCrossSigned)));
        Assert.Null(MatrixBridgeHost.TrustedSenderDevice(Event(true, null, VerificationState.UnknownDevice)));
        // A plain room proves nothing about the device.
        Assert.Null(MatrixBridgeHost.TrustedSenderDevice(Event(false, null, null)));
    }
}
