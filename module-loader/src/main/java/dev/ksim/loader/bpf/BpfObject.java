package dev.ksim.loader.bpf;

import dev.ksim.sdk.bpf.BpfMap;
import java.util.List;

/**
 * A loaded BPF object ({@code struct bpf_object}): the programs and maps of one file, loaded and
 * attached together and unloaded together.
 */
public final class BpfObject {
    private final String name;
    private final String file;
    private final String license;
    private final List<BpfProgram> programs;
    private final List<BpfMap> maps;

    BpfObject(String name, String file, String license, List<BpfProgram> programs, List<BpfMap> maps) {
        this.name = name;
        this.file = file;
        this.license = license;
        this.programs = List.copyOf(programs);
        this.maps = List.copyOf(maps);
    }

    /** @return the object's name: its file's name without extension, dashes as underscores */
    public String name() {
        return name;
    }

    /** @return the file as given */
    public String file() {
        return file;
    }

    /** @return the {@code SEC("license")} string, empty if it has none */
    public String license() {
        return license;
    }

    /** @return its programs, in declaration order */
    public List<BpfProgram> programs() {
        return programs;
    }

    /** @return its maps, in declaration order */
    public List<BpfMap> maps() {
        return maps;
    }

    /**
     * {@code bpf_object__find_map_by_name()}.
     *
     * @param mapName a map's name
     * @return the map, or null
     */
    public BpfMap map(String mapName) {
        for (BpfMap m : maps) {
            if (m.name().equals(mapName)) {
                return m;
            }
        }
        return null;
    }
}
