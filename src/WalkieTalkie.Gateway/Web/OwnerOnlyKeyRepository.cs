using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Web;

/// <summary>
/// The cookie and antiforgery keys, in a folder of the gateway's data that only the gateway's user may read (whoever
/// holds them can forge a session): ASP.NET Core's file repository writes with the process's umask, so the folder is
/// made 0700 first and each key file 0600 once written.
/// </summary>
public sealed class OwnerOnlyKeyRepository : IXmlRepository
{
    private readonly string _folder;
    private readonly FileSystemXmlRepository _files;

    public OwnerOnlyKeyRepository(string folder)
    {
        _folder = folder;
        OwnerOnly.CreateFolder(folder);
        OwnerOnly.RestrictTree(folder);
        _files = new FileSystemXmlRepository(new DirectoryInfo(folder), NullLoggerFactory.Instance);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        OwnerOnly.RestrictTree(_folder);
    }
}
