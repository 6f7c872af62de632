namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// Makes the data folder the gateway's own at start: the folder 0700, and the gateway's files and folders in it owner
/// only (the database and its WAL, the recording key, the recordings, the Matrix stores; the site certificate is made 0600), for a
/// folder written before the gateway did so itself or copied in with other modes. Nothing outside those is touched.
/// </summary>
public static class DataFolder
{
    public static void Secure(string dataDirectory, string databasePath, string recordingsDirectory, string matrixDirectory)
    {
        OwnerOnly.Restrict(dataDirectory);
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal",
                     Path.Combine(dataDirectory, RecordingKeyFile.FileName) })
        {
            OwnerOnly.Restrict(file);
        }

        OwnerOnly.RestrictTree(recordingsDirectory);
        OwnerOnly.RestrictTree(matrixDirectory);
    }
}
