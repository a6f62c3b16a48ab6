package io.fjord.metadata;

import io.fjord.network.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The cluster as the current metadata image tells it: the registered brokers (alive = unfenced), the
 * cluster id the metadata log carries, and its topics. Every call reads the latest image, so a request
 * never waits for this view to catch up.
 *
 * <p>Until this node's own registration is in the image (a single node before its first registration,
 * or an image without brokers at all), the node itself with its advertised endpoints is the cluster,
 * as before cluster metadata existed: a lone node must serve clients from its first request.
 */
public final class ImageClusterView implements ClusterView {
    private final Supplier<MetadataImage> image;
    private final IntSupplier activeControllerId;
    private final String localClusterId;
    private final int nodeId;
    private final boolean broker;
    private volatile List<BrokerNode> self = List.of();
    /** The broker lists of the last image asked about, so a Metadata request does not rebuild them. */
    private volatile Brokers cached = new Brokers(null, List.of(), List.of());

    private record Brokers(MetadataImage image, List<BrokerNode> alive, List<BrokerNode> registered) {
    }

    /**
     * @param activeControllerId the quorum's active controller ({@link MetadataStore#activeControllerId()})
     * @param localClusterId     this node's meta.properties cluster id, used while the image has none
     * @param broker             whether this node has the broker role (only then is it one of the fallback brokers)
     */
    public ImageClusterView(Supplier<MetadataImage> image, IntSupplier activeControllerId, String localClusterId, int nodeId,
                            boolean broker) {
        this.image = image;
        this.activeControllerId = activeControllerId;
        this.localClusterId = localClusterId;
        this.nodeId = nodeId;
        this.broker = broker;
    }

    /** Called once the listeners are bound: the advertised ports are known only then. */
    public void publish(List<Endpoint> advertised) {
        self = broker ? List.of(new BrokerNode(nodeId, null, advertised, false)) : List.of();
    }

    @Override
    public String clusterId() {
        String id = image.get().clusterId();
        return id != null ? id : localClusterId;
    }

    @Override
    public List<BrokerNode> aliveBrokers() {
        return brokers().alive();
    }

    @Override
    public List<BrokerNode> registeredBrokers() {
        return brokers().registered();
    }

    @Override
    public BrokerNode aliveBroker(int id) {
        for (BrokerNode node : brokers().alive()) {
            if (node.id() == id) {
                return node;
            }
        }
        return null;
    }

    /**
     * The active controller when clients can reach it as a broker, else the lowest-id alive broker:
     * any broker takes admin requests (the metadata store forwards them), and a client that cannot
     * find the named controller among the brokers would stall.
     */
    @Override
    public int controllerId() {
        List<BrokerNode> alive = aliveBrokers();
        int active = activeControllerId.getAsInt();
        int lowest = -1;
        for (BrokerNode node : alive) {
            if (node.id() == active) {
                return active;
            }
            if (lowest < 0 || node.id() < lowest) {
                lowest = node.id();
            }
        }
        return lowest;
    }

    @Override
    public TopicRegistry topics() {
        return image.get();
    }

    private Brokers brokers() {
        MetadataImage current = image.get();
        Brokers last = cached;
        if (last.image() == current && !current.brokers().isEmpty()) {
            return last;
        }
        if (current.brokers().isEmpty()) {
            List<BrokerNode> fallback = self;
            return new Brokers(current, fallback, fallback);
        }
        List<BrokerNode> alive = new ArrayList<>();
        List<BrokerNode> registered = new ArrayList<>();
        for (BrokerRegistration registration : current.brokers().values()) {
            BrokerNode node = registration.toBrokerNode();
            registered.add(node);
            if (!registration.fenced()) {
                alive.add(node);
            }
        }
        Brokers built = new Brokers(current, List.copyOf(alive), List.copyOf(registered));
        cached = built;
        return built;
    }
}
