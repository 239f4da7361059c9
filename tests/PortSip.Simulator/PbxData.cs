namespace PortSip.Simulator;

/// <summary>
/// The calls a simulated PBX holds: CDRs and recordings, visible or not. Thread-safe; readers get an
/// immutable snapshot, writers (tests adding late CDRs, the destroy endpoint) replace it.
/// </summary>
public sealed class PbxData
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimRecording> _everRecorded = new(StringComparer.Ordinal);
    private readonly List<string> _destroyed = [];
    private Snapshot _current;

    public PbxData(IEnumerable<SimCdr> cdrs, IEnumerable<SimRecording> recordings)
    {
        ArgumentNullException.ThrowIfNull(cdrs);
        ArgumentNullException.ThrowIfNull(recordings);
        List<SimRecording> recordingList = [.. recordings];
        foreach (SimRecording recording in recordingList)
        {
            Validate(recording);
            if (!_everRecorded.TryAdd(recording.Id, recording))
            {
                throw new ArgumentException($"Duplicate recording id {recording.Id}.", nameof(recordings));
            }
        }

        _current = new Snapshot([.. cdrs], recordingList);
    }

    /// <summary>All CDRs, ordered by started_at then id.</summary>
    public IReadOnlyList<SimCdr> Cdrs => Volatile.Read(ref _current).Cdrs;

    /// <summary>All recordings not destroyed, ordered by started_at then id.</summary>
    public IReadOnlyList<SimRecording> Recordings => Volatile.Read(ref _current).Recordings;

    /// <summary>Ids passed to <c>POST /api/recordings/{id}/destroy</c> (or <see cref="DestroyRecording"/>), in order.</summary>
    public IReadOnlyList<string> DestroyedRecordingIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _destroyed];
            }
        }
    }

    internal Snapshot Current => Volatile.Read(ref _current);

    public SimCdr? FindCdr(string id) => Current.CdrsById.GetValueOrDefault(id);

    public SimRecording? FindRecording(string id) => Current.RecordingsById.GetValueOrDefault(id);

    /// <summary>Finds a recording by id even if it has been destroyed (its audio can still be generated).</summary>
    public SimRecording? FindRecordingEverStored(string id)
    {
        lock (_gate)
        {
            return _everRecorded.GetValueOrDefault(id);
        }
    }

    public SimRecording? FindRecordingByBlobToken(string token) => Current.RecordingsByToken.GetValueOrDefault(token);

    /// <summary>Adds a CDR at run time (for example a late CDR of a long call).</summary>
    public void AddCdr(SimCdr cdr)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        lock (_gate)
        {
            Snapshot now = _current;
            if (now.CdrsById.ContainsKey(cdr.Id))
            {
                throw new InvalidOperationException($"A CDR with id {cdr.Id} already exists.");
            }

            Volatile.Write(ref _current, new Snapshot([.. now.Cdrs, cdr], now.Recordings));
        }
    }

    /// <summary>Removes a CDR (not its recordings); false if it did not exist.</summary>
    public bool RemoveCdr(string id)
    {
        lock (_gate)
        {
            Snapshot now = _current;
            if (!now.CdrsById.ContainsKey(id))
            {
                return false;
            }

            Volatile.Write(ref _current, new Snapshot([.. now.Cdrs.Where(c => c.Id != id)], now.Recordings));
            return true;
        }
    }

    /// <summary>Adds a recording at run time; its id and blob token must be new.</summary>
    public void AddRecording(SimRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        Validate(recording);
        lock (_gate)
        {
            Snapshot now = _current;
            if (_everRecorded.ContainsKey(recording.Id) || now.RecordingsByToken.ContainsKey(recording.BlobToken))
            {
                throw new InvalidOperationException($"A recording with id {recording.Id} or its blob token already exists.");
            }

            _everRecorded.Add(recording.Id, recording);
            Volatile.Write(ref _current, new Snapshot(now.Cdrs, [.. now.Recordings, recording]));
        }
    }

    /// <summary>Deletes a recording as <c>POST /api/recordings/{id}/destroy</c> does; false if it did not exist.</summary>
    public bool DestroyRecording(string id)
    {
        lock (_gate)
        {
            Snapshot now = _current;
            if (!now.RecordingsById.ContainsKey(id))
            {
                return false;
            }

            _destroyed.Add(id);
            Volatile.Write(ref _current, new Snapshot(now.Cdrs, [.. now.Recordings.Where(r => r.Id != id)]));
            return true;
        }
    }

    private static void Validate(SimRecording recording)
    {
        long minimum = recording.IsMp3 ? 0 : RecordingAudio.WavHeaderSize;
        if (recording.Size < minimum)
        {
            throw new ArgumentException($"Recording {recording.Id} is smaller than its {minimum}-byte header.", nameof(recording));
        }
    }

    internal sealed class Snapshot
    {
        public Snapshot(IReadOnlyCollection<SimCdr> cdrs, IReadOnlyCollection<SimRecording> recordings)
        {
            Cdrs = [.. cdrs.OrderBy(c => c.StartedAt).ThenBy(c => c.Id, IdComparer.Instance)];
            Recordings = [.. recordings.OrderBy(r => r.StartedAt).ThenBy(r => r.Id, IdComparer.Instance)];
            CdrsById = Cdrs.ToDictionary(c => c.Id, StringComparer.Ordinal);
            RecordingsById = Recordings.ToDictionary(r => r.Id, StringComparer.Ordinal);
            RecordingsByToken = Recordings.ToDictionary(r => r.BlobToken, StringComparer.Ordinal);
        }

        /// <summary>Ordered by started_at then id (<see cref="IdComparer"/>); list paging binary-searches started_at here.</summary>
        public SimCdr[] Cdrs { get; }

        /// <summary>Ordered by started_at then id (<see cref="IdComparer"/>); list paging binary-searches started_at here.</summary>
        public SimRecording[] Recordings { get; }
        public Dictionary<string, SimCdr> CdrsById { get; }
        public Dictionary<string, SimRecording> RecordingsById { get; }
        public Dictionary<string, SimRecording> RecordingsByToken { get; }
    }
}
