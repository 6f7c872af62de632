using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Web.Accounts;

/// <summary>
/// Gateway-local web accounts (<c>walkie user add|remove|passwd|list</c>). Adding one adds its device to the registry
/// (with an unusable badge secret: a web device connects only over the web walkie's WebSocket); removing it removes the
/// device, its memberships and permits. Only a hash of the password is stored (<see cref="WebPasswords"/>).
/// </summary>
public interface IWebUserStore
{
    /// <exception cref="RegistryException">Not a valid name, an unknown role, an empty password, or the name is taken by a badge or user.</exception>
    void Add(string name, string password, string role);

    /// <exception cref="RegistryException">No such user.</exception>
    void Remove(string name);

    /// <exception cref="RegistryException">No such user, or an empty password.</exception>
    void SetPassword(string name, string password);

    WebUser? Find(string name);

    IReadOnlyList<WebUser> List();
}
