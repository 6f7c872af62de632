using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Web.Devices;

/// <summary>The registry's web devices: which badge ids are browsers, and whose.</summary>
public interface IWebDeviceStore
{
    WebDevice? Find(string id);

    /// <summary>The device of a Matrix user's Matrix device, added to the registry (and to <paramref name="channel"/>) the first time.</summary>
    /// <exception cref="RegistryException">The channel does not exist.</exception>
    WebDevice EnsureMatrixDevice(string userId, string matrixDeviceId, string displayName, int channel);

    /// <summary>The Matrix devices on a channel (their permits come from the room's MSC4002 state).</summary>
    IReadOnlyList<WebDevice> MatrixDevicesOf(int channel);

    IReadOnlyList<WebDevice> List();
}
